using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Features.OrderTimeline;

/// <summary>
/// Writes an order change published by the Orders module into the seed's <c>order_tracking</c> table, once per
/// (order, version): a redelivered notification finds its entry and does nothing. Called first for every order change
/// (<see cref="LiveState.TrackLiveOrders"/>), so what the change causes (a dispatched rider) is always recorded after it.
/// A failure propagates to the outbox dispatcher, which retries the message.
/// </summary>
internal sealed class OrderChangeRecorder(TrackingDbContext db)
{
    public async ValueTask RecordAsync(IOrderNotification change, CancellationToken cancellationToken)
    {
        if (await db.OrderTracking.AnyAsync(e => e.OrderId == change.OrderId && e.OrderVersion == change.Version, cancellationToken))
        {
            return;
        }

        (string? Id, OperatorType? Type, GeoCoordinate? Location) by = change switch
        {
            // From payment on, the order's warehouse holds it: recorded as the operator.
            OrderPaid paid => (paid.WarehouseId, OperatorType.Warehouse, null),
            // The hand-over; the rider's assignment is an entry of its own (RiderAssigned).
            OrderPicked picked => (picked.WarehouseId, OperatorType.Warehouse, picked.WarehouseLocation),
            OrderDelivered delivered => (delivered.RiderId, OperatorType.Rider, null),
            _ => (null, null, null),
        };
        db.OrderTracking.Add(new OrderTrackingEntry(
            change.OrderId,
            change.Version,
            change.GetType().Name,
            (byte)change.Status,
            by.Location?.Latitude,
            by.Location?.Longitude,
            address: null,
            by.Id,
            by.Type,
            change.OccurredAt));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery of the same notification may have recorded it first; anything else is a real failure.
            db.ChangeTracker.Clear();
            if (!await db.OrderTracking.AsNoTracking()
                    .AnyAsync(e => e.OrderId == change.OrderId && e.OrderVersion == change.Version, cancellationToken))
            {
                throw;
            }
        }
    }
}
