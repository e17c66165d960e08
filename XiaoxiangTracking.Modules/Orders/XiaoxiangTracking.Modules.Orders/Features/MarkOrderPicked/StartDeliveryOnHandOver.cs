using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Orders.Features.MarkOrderPicked;

/// <summary>
/// The warehouse's hand-over (reported to Tracking) starts delivery: 2 Paid → 3 Delivering, with the rider if named. Delivered at
/// least once, so a hand-over the order already reflects is ignored; one the order can no longer take (it was cancelled
/// meanwhile) is logged and dropped, since retrying cannot make it legal. A lost race (concurrent change) is thrown so
/// the outbox retries it against the new version.
/// </summary>
internal sealed class StartDeliveryOnHandOver(OrdersDbContext db, ILogger<StartDeliveryOnHandOver> logger)
    : INotificationHandler<WarehouseHandedOver>
{
    public async ValueTask Handle(WarehouseHandedOver notification, CancellationToken cancellationToken)
    {
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == notification.OrderId, cancellationToken);
        if (order is null)
        {
            logger.LogWarning("Hand-over of unknown order {OrderId} ignored", notification.OrderId);
            return;
        }

        if (order.Status == OrderStatus.Delivering && order.PickedAt is not null)
        {
            return;
        }

        if (order.Status != OrderStatus.Paid || order.WarehouseId != notification.WarehouseId)
        {
            logger.LogWarning(
                "Hand-over of order {OrderId} by {WarehouseId} ignored: the order is {Status}",
                notification.OrderId, notification.WarehouseId, order.Status);
            return;
        }

        order.MarkPicked(notification.WarehouseId, notification.RiderId, notification.OccurredAt);
        await db.SaveChangesAsync(cancellationToken);
    }
}
