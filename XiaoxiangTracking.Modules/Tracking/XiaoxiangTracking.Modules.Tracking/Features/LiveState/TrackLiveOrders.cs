using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Features.Alerts;
using XiaoxiangTracking.Modules.Tracking.Features.Dispatch;
using XiaoxiangTracking.Modules.Tracking.Features.Eta;
using XiaoxiangTracking.Modules.Tracking.Features.OrderTimeline;
using XiaoxiangTracking.Modules.Tracking.Live;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Features.LiveState;

/// <summary>
/// Takes in each order change from the Orders module, in causal order: records it on the timeline, moves the order's
/// live state (opened when the order is placed, a new tracking version and a delta in the outbox with every status
/// change, ended at completion or cancellation), and, for a hand-over without a rider, starts dispatch — so an
/// assignment is never on the timeline before the hand-over that caused it. Delivered at least once and possibly late:
/// the timeline records each change once, and a notification not newer than the state's Orders version changes no live
/// state. A change for an order whose state is not open yet (its <c>OrderPlaced</c> is still being retried) throws,
/// so the outbox retries it after the opening.
/// </summary>
internal sealed class TrackLiveOrders(
    TrackingDbContext db, OrderChangeRecorder timeline, LiveOrderStore store, Dispatcher dispatcher, AlertBook alerts, EtaEstimator eta, TimeProvider clock, ILogger<TrackLiveOrders> logger) :
    INotificationHandler<OrderPlaced>,
    INotificationHandler<OrderPaid>,
    INotificationHandler<OrderPicked>,
    INotificationHandler<OrderDelivered>,
    INotificationHandler<OrderCancelled>
{
    public async ValueTask Handle(OrderPlaced notification, CancellationToken cancellationToken)
    {
        await timeline.RecordAsync(notification, cancellationToken);
        await store.OpenAsync(notification, cancellationToken);
    }

    /// <summary>Paid: the warehouse starts picking, and the customer gets a first ETA composed from picking, rider wait and ride.</summary>
    public async ValueTask Handle(OrderPaid notification, CancellationToken cancellationToken) =>
        await ChangeAsync(notification, async (l, token) =>
        {
            var now = clock.GetUtcNow();
            var pace = await eta.PaceAsync(l.WarehouseId, token);
            var speed = await eta.SpeedForAsync(l, now, token);
            return new LiveChange.OrderChanged(notification, paid => eta.BeforeRider(paid, pace, speed, packed: false, now));
        }, cancellationToken);

    public async ValueTask Handle(OrderPicked notification, CancellationToken cancellationToken)
    {
        var riderFix = notification.RiderId is { } riderId
            ? await db.RiderFixes.AsNoTracking().SingleOrDefaultAsync(f => f.RiderId == riderId, cancellationToken)
            : null;
        var live = await ChangeAsync(notification, async (l, token) =>
        {
            var now = clock.GetUtcNow();
            var speed = await eta.SpeedForAsync(l, now, token);
            var pace = await eta.PaceAsync(l.WarehouseId, token);
            return new LiveChange.DeliveryStarted(notification, riderFix, started => started.RiderId is null
                ? eta.BeforeRider(started, pace, speed, packed: true, now)
                : eta.Estimate(started, riderFix?.Location, speed, now));
        }, cancellationToken);

        if (live is { AwaitingRider: true })
        {
            try
            {
                await dispatcher.TryDispatchAsync(live.OrderId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The order stays waiting; the retry service tries it again.
                logger.LogError(ex, "Dispatching order {OrderId} failed; it will be retried", live.OrderId);
            }
        }
    }

    public ValueTask Handle(OrderDelivered notification, CancellationToken cancellationToken) => EndAsync(notification, cancellationToken);

    public ValueTask Handle(OrderCancelled notification, CancellationToken cancellationToken) => EndAsync(notification, cancellationToken);

    /// <summary>
    /// The order ended: its open alerts resolve themselves in the same change, and a delivery's speed is filed for the
    /// ETA to learn from.
    /// </summary>
    private async ValueTask EndAsync(IOrderNotification change, CancellationToken cancellationToken)
    {
        var filed = false;
        await ChangeAsync(change, async (l, token) =>
        {
            if (change.Version <= l.OrderVersion)
            {
                return null;
            }

            await alerts.ResolveRecordsAsync(l, null, null, clock.GetUtcNow(), token);
            filed = change is OrderDelivered delivered && eta.Sample(l, delivered.OccurredAt) is { } ride
                && !await db.DeliverySpeeds.AnyAsync(s => s.OrderId == ride.OrderId, token)
                && db.DeliverySpeeds.Add(ride) is not null;
            return new LiveChange.OrderChanged(change);
        }, cancellationToken);
        if (filed)
        {
            eta.SpeedFiled();
        }
    }

    private async Task<LiveOrder?> ChangeAsync(
        IOrderNotification change, Func<LiveOrder, CancellationToken, Task<LiveChange?>> decide, CancellationToken cancellationToken)
    {
        await timeline.RecordAsync(change, cancellationToken);
        if (!await db.LiveOrders.AnyAsync(l => l.OrderId == change.OrderId, cancellationToken))
        {
            throw new InvalidOperationException(
                $"{change.GetType().Name} v{change.Version} of order {change.OrderId} arrived before the order's live state was opened.");
        }

        return await store.ChangeAsync(change.OrderId, decide, cancellationToken);
    }
}
