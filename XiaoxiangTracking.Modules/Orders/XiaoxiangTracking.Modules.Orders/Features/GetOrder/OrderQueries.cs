using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Orders.Features.GetOrder;

internal sealed class OrderQueries(OrdersDbContext db) : IOrderQueries
{
    public async Task<OrderAccess?> FindForAsync(ClaimsPrincipal caller, string orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking()
            .Where(o => o.Id == orderId)
            .Select(o => new OrderSummary(o.Id, o.CustomerId, o.WarehouseId, o.RiderId, o.Status, o.Version))
            .SingleOrDefaultAsync(cancellationToken);
        return order is not null && ViewerOf(caller, order) is { } viewer ? new OrderAccess(order, viewer) : null;
    }

    /// <summary>The one rule of who sees which order, in the capacity that sees the most.</summary>
    internal static OrderViewer? ViewerOf(ClaimsPrincipal caller, OrderSummary order)
    {
        if (caller.IsInRole(Roles.ShareViewer))
        {
            // A share link's viewer sees its one order, and in no other capacity.
            return caller.FindFirstValue(ClaimNames.OrderId) == order.OrderId ? OrderViewer.Shared : null;
        }

        if (caller.IsInRole(Roles.Ops))
        {
            return OrderViewer.Ops;
        }

        if (caller.IsInRole(Roles.Warehouse) && caller.WarehouseId() is { } warehouseId && warehouseId == order.WarehouseId)
        {
            return OrderViewer.Warehouse;
        }

        var id = caller.Id();
        if (id is null)
        {
            return null;
        }

        if (caller.IsInRole(Roles.Rider) && order.Status == OrderStatus.Delivering && order.RiderId == id)
        {
            return OrderViewer.Rider;
        }

        return caller.IsInRole(Roles.Customer) && order.CustomerId == id ? OrderViewer.Customer : null;
    }
}
