using Mediator;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>
/// Reacts to Tracking's deltas, made here or relayed from another instance: remembers them for resyncs, updates who
/// each order concerns, and queues them for the interested connections — all in memory and without waiting on any
/// client, so the publisher (the position writer among them) is never slowed by fan-out.
/// </summary>
internal sealed class PushOrderChanges(DeltaLog log, OrderDirectory directory, Subscribers subscribers) :
    INotificationHandler<OrderTrackingChanged>,
    INotificationHandler<OrderTrackingChangedElsewhere>,
    INotificationHandler<OrderPlaced>
{
    public ValueTask Handle(OrderTrackingChanged notification, CancellationToken cancellationToken)
    {
        Push(notification);
        return ValueTask.CompletedTask;
    }

    /// <summary>Another instance's change: an order placed there becomes known here with its first change.</summary>
    public ValueTask Handle(OrderTrackingChangedElsewhere notification, CancellationToken cancellationToken)
    {
        directory.Know(notification.Change.OrderId, notification.WarehouseId);
        Push(notification.Change);
        return ValueTask.CompletedTask;
    }

    /// <summary>A new order's warehouse, so the ops views of that warehouse get it from its first delta.</summary>
    public ValueTask Handle(OrderPlaced notification, CancellationToken cancellationToken)
    {
        directory.Add(notification.OrderId, notification.WarehouseId, null);
        return ValueTask.CompletedTask;
    }

    private void Push(OrderTrackingChanged change)
    {
        var late = log.Append(change);
        var before = directory.Apply(change);
        subscribers.Publish(new PushedChange(change) { Late = late }, before);
    }
}
