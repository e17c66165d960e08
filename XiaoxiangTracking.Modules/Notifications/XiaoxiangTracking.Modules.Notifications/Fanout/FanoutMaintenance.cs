using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Notifications.Settings;
using XiaoxiangTracking.Modules.Shared.Hosting;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>
/// At start-up, learns who every active order concerns (after the Tracking module has migrated and warmed its cache).
/// Then, every <see cref="NotificationsOptions.VersionCheckInterval"/>, tells each connection the current versions of
/// what it follows (the heartbeat that lets a client which silently lost a push converge) and forgets what has ended.
/// </summary>
internal sealed class FanoutMaintenance(
    IServiceScopeFactory scopes,
    OrderDirectory directory,
    DeltaLog log,
    Subscribers subscribers,
    IOptions<NotificationsOptions> options,
    TimeProvider clock,
    ILogger<FanoutMaintenance> logger) : PeriodicService(clock, logger)
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var active = await scope.ServiceProvider.GetRequiredService<ILiveOrderQueries>().ActiveAsync(null, cancellationToken);
            foreach (var order in active)
            {
                directory.Add(order.OrderId, order.WarehouseId, order.RiderId);
            }

            logger.LogInformation("Fan-out knows {Count} active order(s)", active.Count);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override TimeSpan Interval => options.Value.VersionCheckInterval;

    protected override string Work => "The fan-out's heartbeat";

    protected override Task RoundAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in subscribers.All)
        {
            connection.Enqueue(new Push.Beacon());
        }

        log.Trim();
        directory.Trim();
        return Task.CompletedTask;
    }
}
