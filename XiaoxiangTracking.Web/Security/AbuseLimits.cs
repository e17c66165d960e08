using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Shared;
using XiaoxiangTracking.Modules.Shared.Security;
using XiaoxiangTracking.Web.Errors;

namespace XiaoxiangTracking.Web.Security;

/// <summary>
/// Rate limits (OWASP API4, unrestricted resource consumption): each rider's position reports, each customer's order
/// actions, each address's hub connections, and each address's requests without a valid token (no token, a bad or
/// expired one), in fixed one-minute windows. Staff (ops, warehouse) are not limited here. The limiter runs after
/// authentication, so a failed sign-in counts against its address, and before authorisation, so an address guessing
/// tokens is refused before its requests are answered in full.
/// Over the limit the answer is 429 problem+json with Retry-After. Body, header and hub message sizes and Kestrel's
/// timeouts are set in appsettings.json (<c>Kestrel:Limits</c>, <c>Notifications</c>).
/// </summary>
internal static class AbuseLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static WebApplicationBuilder AddAbuseLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SecurityOptions>(builder.Configuration, SecurityOptions.SectionName);
        // Kestrel reads its endpoints from "Kestrel" by itself, but not its limits (body and header sizes, timeouts).
        builder.Services.Configure<KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.Identity?.IsAuthenticated == true
                    ? RateLimitPartition.GetNoLimiter("signed-in")
                    : RateLimitPartition.GetFixedWindowLimiter(
                        $"anonymous:{http.Connection.RemoteIpAddress}", _ => FixedWindow(Limits(http).AnonymousRequestsPerAddressPerMinute)));
            options.AddPolicy(RateLimits.Positions, http => PerCaller(http, Roles.Rider, limits => limits.PositionsPerRiderPerMinute));
            options.AddPolicy(RateLimits.OrderActions, http => PerCaller(http, Roles.Customer, limits => limits.OrderActionsPerCustomerPerMinute));
            options.AddPolicy(RateLimits.HubConnect, http => IsConnectionStart(http.Request)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    $"address:{http.Connection.RemoteIpAddress}", _ => FixedWindow(Limits(http).HubConnectsPerAddressPerMinute))
                : RateLimitPartition.GetNoLimiter("connection-traffic"));
            options.AddPolicy(RateLimits.ShareLinkOpens, http => RateLimitPartition.GetFixedWindowLimiter(
                $"share-links:{http.Connection.RemoteIpAddress}", _ => FixedWindow(Limits(http).ShareLinkOpensPerAddressPerMinute)));
        });
        return builder;
    }

    private static RateLimitPartition<string> PerCaller(HttpContext http, string role, Func<RateLimitOptions, int> limit) =>
        http.User.IsInRole(role) && http.User.Id() is { } id && !http.User.IsOps()
            ? RateLimitPartition.GetFixedWindowLimiter($"{role}:{id}", _ => FixedWindow(limit(Limits(http))))
            : RateLimitPartition.GetNoLimiter("staff");

    private static RateLimitOptions Limits(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RateLimits;

    private static FixedWindowRateLimiterOptions FixedWindow(int permits) =>
        new() { PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true };

    /// <summary>
    /// A negotiation, or a connection opened without one (a WebSocket with negotiation skipped): one per connection.
    /// The requests of a negotiated connection (its WebSocket, polls, sends) carry its id and are not counted.
    /// </summary>
    private static bool IsConnectionStart(HttpRequest request) =>
        request.Path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true || !request.Query.ContainsKey("id");

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        http.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await ProblemResponses.WriteAsync(http, StatusCodes.Status429TooManyRequests, "Too many requests.",
            $"Slow down: retry after {http.Response.Headers.RetryAfter} s.", "rate_limited");
    }
}
