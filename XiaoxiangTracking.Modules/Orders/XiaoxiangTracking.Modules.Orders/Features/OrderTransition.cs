using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Domain;
using XiaoxiangTracking.Modules.Orders.Persistence;

namespace XiaoxiangTracking.Modules.Orders.Features;

/// <summary>
/// Load, change, save: the shape of every status change. The aggregate decides; saving checks the version so a
/// concurrent change makes this one fail with a conflict instead of overwriting it.
/// </summary>
internal static class OrderTransition
{
    public static async ValueTask<OrderResponse> ApplyAsync(
        OrdersDbContext db,
        string orderId,
        OrderViewer viewer,
        Action<Order> change,
        CancellationToken cancellationToken)
    {
        var order = await db.Orders.GetAsync(orderId, cancellationToken);
        change(order);
        await db.SaveChangesAsync(cancellationToken);
        return order.ToResponse(viewer);
    }
}
