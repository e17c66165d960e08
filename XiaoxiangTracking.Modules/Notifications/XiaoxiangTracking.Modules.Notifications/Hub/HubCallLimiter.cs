using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Notifications.Settings;

namespace XiaoxiangTracking.Modules.Notifications.Hub;

/// <summary>
/// Limits the hub method calls of each connection (a token bucket: <see cref="NotificationsOptions.MaxCallsPerSecond"/>
/// on average, <see cref="NotificationsOptions.CallBurst"/> at once). A call over the limit fails with a hub error and
/// does nothing; the connection stays open.
/// </summary>
internal sealed class HubCallLimiter(IOptions<NotificationsOptions> options) : IHubFilter
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new(StringComparer.Ordinal);

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var bucket = _buckets.GetOrAdd(invocationContext.Context.ConnectionId, _ => NewBucket());
        using var lease = bucket.AttemptAcquire();
        return lease.IsAcquired
            ? await next(invocationContext)
            : throw new HubException($"Too many calls: at most {options.Value.MaxCallsPerSecond} per second. Slow down and retry.");
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (_buckets.TryRemove(context.Context.ConnectionId, out var bucket))
        {
            await bucket.DisposeAsync();
        }

        await next(context, exception);
    }

    private TokenBucketRateLimiter NewBucket()
    {
        var settings = options.Value;
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.CallBurst,
            TokensPerPeriod = settings.MaxCallsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
