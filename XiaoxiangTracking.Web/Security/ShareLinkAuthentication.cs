using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Web.Security;

/// <summary>
/// A share link's token as a bearer token (<c>xts_…</c>, in the Authorization header, or as <c>access_token</c> on the
/// hub path): the principal of a viewer of that one order, role <see cref="Roles.ShareViewer"/>, which no policy but
/// the watchers' and the share viewers' admits. An unknown, expired or revoked token fails like a bad JWT (401).
/// </summary>
internal sealed class ShareLinkAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ShareLink";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ShareTokenOf(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }

        var link = await Context.RequestServices.GetRequiredService<IShareLinks>().FindAsync(token, Context.RequestAborted);
        if (link is null)
        {
            return AuthenticateResult.Fail("The share link is not valid.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimNames.Subject, link.LinkId),
                new Claim(ClaimNames.Role, Roles.ShareViewer),
                new Claim(ClaimNames.OrderId, link.OrderId),
                new Claim(ClaimNames.ShareLinkId, link.LinkId),
                new Claim(ClaimNames.ShareLinkExpiresAt, link.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)),
            ],
            SchemeName,
            ClaimNames.Subject,
            ClaimNames.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Whether the request's bearer token has a share token's shape (not a JWT, and not none); nothing is copied.</summary>
    public static bool HasShareToken(HttpRequest request) => ShareLinkTokens.LooksLikeOne(BearerToken(request));

    /// <summary>The request's bearer token when it has a share token's shape; null otherwise (a JWT, or none).</summary>
    public static string? ShareTokenOf(HttpRequest request)
    {
        var token = BearerToken(request);
        return ShareLinkTokens.LooksLikeOne(token) ? token.ToString() : null;
    }

    /// <summary>The bearer token of the Authorization header, or on the hub path the <c>access_token</c> query value; empty when none.</summary>
    private static ReadOnlySpan<char> BearerToken(HttpRequest request)
    {
        const string bearer = "Bearer ";
        if (request.Headers.Authorization.ToString() is { } header && header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return header.AsSpan(bearer.Length).Trim();
        }

        return request.Path.StartsWithSegments(TokenAuthentication.HubPathPrefix) && request.Query["access_token"] is { Count: 1 } query
            ? query.ToString()
            : [];
    }
}
