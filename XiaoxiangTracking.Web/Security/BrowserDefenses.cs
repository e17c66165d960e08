using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Web.Errors;

namespace XiaoxiangTracking.Web.Security;

/// <summary>
/// Transport and browser defences: forwarded headers believed only from configured proxies, HTTPS with HSTS outside
/// Development, CORS for the configured origins (never a wildcard: credentials are allowed), and the same origins
/// checked on the hub's handshake, which CORS does not protect (WebSockets are not subject to it).
/// </summary>
internal static class BrowserDefenses
{
    public static WebApplicationBuilder AddBrowserDefenses(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new SecurityOptions();
        builder.Services.AddOptions<SecurityOptions>()
            .Validate(o => !o.AllowedOrigins.Any(origin => origin.Contains('*', StringComparison.Ordinal)),
                "Security:AllowedOrigins must name each origin; a wildcard is not allowed.")
            .Validate(o => o.AllowedOrigins.All(origin => Uri.TryCreate(origin, UriKind.Absolute, out _)),
                "Security:AllowedOrigins must be absolute origins such as https://track.example.com.");
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddCors(options => options.AddDefaultPolicy(policy => policy
            .WithOrigins(settings.AllowedOrigins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .AllowCredentials()
            .WithExposedHeaders("Location", "Retry-After", "Idempotency-Replayed")));
        return builder;
    }

    /// <summary>
    /// Before everything else: the client's address and scheme as a configured proxy saw them. With no proxy or network
    /// configured nothing is believed and the socket's address is the client's (forwarded headers' middleware would
    /// believe every sender when both lists are empty).
    /// </summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        if (options.KnownProxies.Count > 0 || options.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    public static WebApplication UseBrowserDefenses(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseCors();
        app.Use((context, next) =>
            context.Request.Path.StartsWithSegments(TokenAuthentication.HubPathPrefix)
            && context.Request.Headers.Origin is { Count: > 0 } origin
            && !IsAllowed(origin.ToString(), context)
                ? ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, "Origin not allowed.",
                    $"Pages from {origin} may not open the tracking hub.", "origin_not_allowed")
                : next(context));
        return app;
    }

    /// <summary>The host's own pages, or a configured origin. Clients that send no Origin (apps, servers) are not browsers.</summary>
    private static bool IsAllowed(string origin, HttpContext context) =>
        string.Equals(origin, $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase)
        || context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.AllowedOrigins
            .Any(allowed => string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
}
