using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using XiaoxiangTracking.Modules.Shared.ScaleOut;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Tracking.Live;

/// <summary>
/// When several instances run: every change made here goes to the others, which publish it as
/// <see cref="OrderTrackingChangedElsewhere"/> for their cache and fan-out. A relay that fails is logged and never fails
/// the change (which is committed); the others see a version gap and heal it.
/// </summary>
internal sealed class RelayLiveChanges(InstanceRelay relay, LiveOrderCache cache, ILogger<RelayLiveChanges> logger)
    : INotificationHandler<OrderTrackingChanged>
{
    public const string Channel = "tracking:changes";

    public async ValueTask Handle(OrderTrackingChanged notification, CancellationToken cancellationToken)
    {
        if (!relay.IsOn)
        {
            return;
        }

        try
        {
            if (await cache.GetAsync(notification.OrderId, cancellationToken) is { } state)
            {
                await relay.PublishAsync(Channel, new OrderTrackingChangedElsewhere(notification, state.WarehouseId));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Relaying change {Version} of order {OrderId} to the other instances failed",
                notification.Version, notification.OrderId);
        }
    }
}

/// <summary>Publishes here the changes the other instances relay, once subscribed (retrying while Redis is away).</summary>
internal sealed class ReceiveRelayedChanges(
    InstanceRelay relay, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ReceiveRelayedChanges> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (relay.IsOn && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await relay.SubscribeAsync<OrderTrackingChangedElsewhere>(RelayLiveChanges.Channel, PublishAsync);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Subscribing to the other instances' changes failed; retrying in {Delay}", RetryAfter);
                await Task.Delay(RetryAfter, clock, stoppingToken);
            }
        }
    }

    private async Task PublishAsync(OrderTrackingChangedElsewhere change)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(change);
    }
}
