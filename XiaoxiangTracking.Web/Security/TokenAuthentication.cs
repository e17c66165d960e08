using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.IdentityModel.Tokens;
using XiaoxiangTracking.Modules.Shared;
using XiaoxiangTracking.Modules.Shared.Persistence;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Web.Security;

/// <summary>
/// JWT bearer tokens on every API and the hub: issuer, audience, signature and lifetime validated (at most 30 s of
/// clock skew, on the host's clock), no unsigned tokens, only the expected algorithms. Browsers cannot set headers on
/// WebSocket and Server-Sent Events requests, so on the hub path alone the token may come as <c>access_token</c> in the
/// query string. Roles come from the <c>role</c> claim, the caller's id from <c>sub</c>.
/// </summary>
internal static class TokenAuthentication
{
    public const string HubPathPrefix = "/hubs";

    public const string DevelopmentKeyFileName = "dev-signing-key";

    public static WebApplicationBuilder AddTokenAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<AuthOptions>(builder.Configuration, AuthOptions.SectionName);
        var settings = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var localKey = LocalSigningKey(settings, builder);
        if (localKey is not null)
        {
            services.AddSingleton(new LocalTokenKey(localKey, settings.Issuer, settings.Audience));
        }

        // Hub URLs carry access tokens in their query strings, and the host's own request log writes whole URLs: it is
        // replaced by HTTP logging of method, path (never the query), status and duration, and never any header. It is
        // off at every level: while any level is on, the host starts an Activity and a log scope for every request, which
        // nothing here reads. A start-up failure it would also log is logged by the generic host ("Hosting failed to start").
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        services.AddHttpLogging(logging => logging.LoggingFields =
            HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration);

        // A bearer token is a JWT, or a share link's token (xts_…): the JWT scheme is the default, and hands a share
        // token to the share-link scheme (see ForwardDefaultSelector below).
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, ShareLinkAuthenticationHandler>(ShareLinkAuthenticationHandler.SchemeName, null);
        services.AddSingleton<ValidatedTokens>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TimeProvider, ValidatedTokens>((options, clock, validated) =>
            {
                // The one token handler: it validates (claims keep the names they were sent with) and reuses results.
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(validated);
                // Nothing reads the token back from the request's authentication properties: not kept there (for a hub
                // connection they live as long as the connection).
                options.SaveToken = false;
                // Authentication, challenge and forbid of a request whose token has a share token's shape go to the
                // share-link scheme; null keeps every other request here.
                options.ForwardDefaultSelector = context =>
                    ShareLinkAuthenticationHandler.HasShareToken(context.Request) ? ShareLinkAuthenticationHandler.SchemeName : null;
                options.Audience = settings.Audience;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidAudience = settings.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidateIssuerSigningKey = true,
                    ClockSkew = settings.ClockSkew,
                    NameClaimType = ClaimNames.Subject,
                    RoleClaimType = ClaimNames.Role,
                    LifetimeValidator = (notBefore, expires, _, _) => WithinLifetime(notBefore, expires, clock.GetUtcNow().UtcDateTime, settings.ClockSkew),
                };
                if (localKey is not null)
                {
                    options.TokenValidationParameters.ValidIssuer = settings.Issuer;
                    options.TokenValidationParameters.IssuerSigningKey = localKey;
                    options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                }
                else
                {
                    options.Authority = settings.Authority;
                    options.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
                    options.TokenValidationParameters.ValidAlgorithms =
                        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];
                }

                options.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        if (context.HttpContext.Request.Path.StartsWithSegments(HubPathPrefix)
                            && context.Request.Query["access_token"] is { Count: 1 } token)
                        {
                            context.Token = token.ToString();
                        }

                        return Task.CompletedTask;
                    },
                };
            });

        services.AddAuthorization(options =>
        {
            foreach (var (policy, roles) in Policies.RolesOf)
            {
                options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
            }

            // An endpoint that names no policy still needs a valid token; the architecture test requires a named one.
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        return builder;
    }

    /// <summary>Whether a token's lifetime includes <paramref name="now"/>, give or take <paramref name="skew"/>.</summary>
    public static bool WithinLifetime(DateTime? notBefore, DateTime? expires, DateTime now, TimeSpan skew) =>
        expires is { } until && until.ToUniversalTime() > now - skew && (notBefore is not { } from || from.ToUniversalTime() <= now + skew);

    /// <summary>
    /// The shared key tokens are signed with when there is no external issuer: the configured one, or in Development
    /// one generated on first start and kept in the data folder (so tokens survive restarts).
    /// </summary>
    private static SymmetricSecurityKey? LocalSigningKey(AuthOptions settings, WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(settings.Authority))
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(settings.SigningKey))
        {
            var configured = Convert.FromBase64String(settings.SigningKey);
            return configured.Length >= 32
                ? new SymmetricSecurityKey(configured)
                : throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (base64).");
        }

        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                "Set Auth:Authority to the identity provider (or Auth:SigningKey to a shared key): tokens cannot be validated otherwise.");
        }

        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var folder = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, database.DataFolder));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, DevelopmentKeyFileName);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}

/// <summary>The shared key, issuer and audience of locally signed tokens (the Development token endpoint signs with them).</summary>
internal sealed record LocalTokenKey(SymmetricSecurityKey Key, string Issuer, string Audience);
