using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Domain;
using XiaoxiangTracking.Modules.Shared.Errors;

namespace XiaoxiangTracking.Modules.Orders.Persistence;

internal static class OrderLookup
{
    /// <summary>Loads an order with its lines and picking task, or throws <see cref="NotFoundException"/> (404).</summary>
    public static async Task<Order> GetAsync(this DbSet<Order> orders, string id, CancellationToken cancellationToken) =>
        await orders.SingleOrDefaultAsync(o => o.Id == id, cancellationToken)
        ?? throw new NotFoundException("Order", id);
}
