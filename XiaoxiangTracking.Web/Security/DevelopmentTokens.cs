using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FluentValidation;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Shared.Security;
using XiaoxiangTracking.Modules.Shared.Validation;

namespace XiaoxiangTracking.Web.Security;

/// <summary>Who a Development token is for.</summary>
/// <param name="Role">customer, rider, warehouse or ops.</param>
/// <param name="Subject">The caller's id (customer, rider or staff id).</param>
/// <param name="WarehouseId">For the warehouse role: the warehouse the caller works at.</param>
internal sealed record DevelopmentTokenRequest([property: Required] string Role, [property: Required] string Subject, string? WarehouseId);

/// <summary>A signed access token.</summary>
/// <param name="AccessToken">Send as <c>Authorization: Bearer …</c> (or <c>access_token</c> on the hub URL).</param>
/// <param name="TokenType">Always Bearer.</param>
/// <param name="ExpiresAt">When it stops being accepted.</param>
internal sealed record DevelopmentTokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt);

internal sealed class DevelopmentTokenRequestValidator : AbstractValidator<DevelopmentTokenRequest>
{
    public DevelopmentTokenRequestValidator()
    {
        RuleFor(r => r.Role).Must(role => Roles.All.Contains(role))
            .WithMessage($"'role' must be one of: {string.Join(", ", Roles.All)}.");
        RuleFor(r => r.Subject).IsPartyId();
        RuleFor(r => r.WarehouseId!).IsPartyId().When(r => r.Role == Roles.Warehouse || r.WarehouseId is not null);
    }
}

/// <summary>
/// <c>POST /api/dev/tokens</c>: a token for any role, signed with the local key. Mapped only in Development, where there
/// is no identity provider; everywhere else the route does not exist.
/// </summary>
internal static class DevelopmentTokens
{
    public static IEndpointRouteBuilder MapDevelopmentTokens(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return app;
        }

        app.MapPost("/api/dev/tokens", (DevelopmentTokenRequest request, LocalTokenKey key, IOptions<AuthOptions> options, TimeProvider clock) =>
            {
                new DevelopmentTokenRequestValidator().ValidateAndThrow(request);
                var now = clock.GetUtcNow();
                var expires = now + options.Value.DevelopmentTokenLifetime;
                return TypedResults.Ok(new DevelopmentTokenResponse(Issue(key, request, now, expires), "Bearer", expires));
            })
            .AllowAnonymous()
            .WithTags("Development")
            .WithName("IssueDevelopmentToken")
            .WithSummary("Development only: a token for a customer, rider, warehouse or ops")
            .ProducesValidationProblem();
        return app;
    }

    internal static string Issue(LocalTokenKey key, DevelopmentTokenRequest request, DateTimeOffset now, DateTimeOffset expires)
    {
        var claims = new List<Claim> { new(ClaimNames.Subject, request.Subject), new(ClaimNames.Role, request.Role) };
        if (request.WarehouseId is not null)
        {
            claims.Add(new Claim(ClaimNames.WarehouseId, request.WarehouseId));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = key.Issuer,
            Audience = key.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
