using Mediator;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Features.OrderTimeline;

/// <summary>
/// Writes each order change published by the Orders module into the seed's <c>order_tracking</c> table, once per
/// (order, version): a redelivered notification finds its entry and does nothing. A failure propagates to the outbox
/// dispatcher, which retries the message.
/// </summary>
internal sealed class RecordOrderChanges(TrackingDbContext db) :
    INotificationHandler<OrderPlaced>,
    INotificationHandler<OrderPaid>,
    INotificationHandler<OrderPicked>,
    INotificationHandler<OrderDelivered>,
    INotificationHandler<OrderCancelled>
{
    public ValueTask Handle(OrderPlaced notification, CancellationToken cancellationToken) =>
        RecordAsync(notification, null, null, null, cancellationToken);

    /// <summary>From payment on, the order's warehouse holds it: recorded as the operator.</summary>
    public ValueTask Handle(OrderPaid notification, CancellationToken cancellationToken) =>
        RecordAsync(notification, notification.WarehouseId, OperatorType.Warehouse, null, cancellationToken);

    /// <summary>The warehouse reports the hand-over; the rider's assignment is an entry of its own (<c>RiderAssigned</c>).</summary>
    public ValueTask Handle(OrderPicked notification, CancellationToken cancellationToken) =>
        RecordAsync(notification, notification.WarehouseId, OperatorType.Warehouse, notification.WarehouseLocation, cancellationToken);

    public ValueTask Handle(OrderDelivered notification, CancellationToken cancellationToken) =>
        RecordAsync(notification, notification.RiderId, OperatorType.Rider, null, cancellationToken);

    public ValueTask Handle(OrderCancelled notification, CancellationToken cancellationToken) =>
        RecordAsync(notification, null, null, null, cancellationToken);

    private async ValueTask RecordAsync(
        IOrderNotification change,
        string? operatorId,
        OperatorType? operatorType,
        Shared.Domain.GeoCoordinate? location,
        CancellationToken cancellationToken)
    {
        if (await db.OrderTracking.AnyAsync(e => e.OrderId == change.OrderId && e.OrderVersion == change.Version, cancellationToken))
        {
            return;
        }

        db.OrderTracking.Add(new OrderTrackingEntry(
            change.OrderId,
            change.Version,
            change.GetType().Name,
            (byte)change.Status,
            location?.Latitude,
            location?.Longitude,
            address: null,
            operatorId,
            operatorType,
            change.OccurredAt));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery of the same notification may have recorded it first; anything else is a real failure.
            if (!await db.OrderTracking.AsNoTracking()
                    .AnyAsync(e => e.OrderId == change.OrderId && e.OrderVersion == change.Version, cancellationToken))
            {
                throw;
            }
        }
    }
}
