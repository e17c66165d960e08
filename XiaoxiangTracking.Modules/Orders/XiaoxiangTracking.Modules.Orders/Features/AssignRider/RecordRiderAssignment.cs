using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Orders.Features.AssignRider;

/// <summary>
/// Keeps the order's rider in step with Tracking's assignments, so that only the assigned rider can mark it delivered.
/// Delivered at least once and possibly out of order: the aggregate ignores an assignment not newer than the one it
/// holds. One the order can no longer take (already completed) is logged and dropped; a lost race is thrown so the
/// outbox retries it against the new version.
/// </summary>
internal sealed class RecordRiderAssignment(OrdersDbContext db, ILogger<RecordRiderAssignment> logger)
    : INotificationHandler<RiderAssigned>
{
    public async ValueTask Handle(RiderAssigned notification, CancellationToken cancellationToken)
    {
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == notification.OrderId, cancellationToken);
        if (order is null)
        {
            logger.LogWarning("Assignment of unknown order {OrderId} ignored", notification.OrderId);
            return;
        }

        try
        {
            if (!order.AssignRider(notification.RiderId, notification.Assignment, notification.OccurredAt))
            {
                return;
            }
        }
        catch (RuleViolationException ex)
        {
            logger.LogWarning("Assignment {Assignment} of order {OrderId} to {RiderId} ignored: {Reason}",
                notification.Assignment, notification.OrderId, notification.RiderId, ex.Message);
            return;
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
