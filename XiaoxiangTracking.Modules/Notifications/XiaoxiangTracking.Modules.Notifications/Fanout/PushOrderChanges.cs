using Mediator;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>
/// Reacts to Tracking's deltas: remembers them for resyncs, updates who each order concerns, and queues them for the
/// interested connections — all in memory and without waiting on any client, so the publisher (the position writer
/// among them) is never slowed by fan-out.
/// </summary>
internal sealed class PushOrderChanges(DeltaLog log, OrderDirectory directory, Subscribers subscribers) :
    INotificationHandler<OrderTrackingChanged>,
    INotificationHandler<OrderPlaced>
{
    public ValueTask Handle(OrderTrackingChanged notification, CancellationToken cancellationToken)
    {
        log.Append(notification);
        var before = directory.Apply(notification);
        subscribers.Publish(notification, before);
        return ValueTask.CompletedTask;
    }

    /// <summary>A new order's warehouse, so the ops views of that warehouse get it from its first delta.</summary>
    public ValueTask Handle(OrderPlaced notification, CancellationToken cancellationToken)
    {
        directory.Add(notification.OrderId, notification.WarehouseId, null);
        return ValueTask.CompletedTask;
    }
}
