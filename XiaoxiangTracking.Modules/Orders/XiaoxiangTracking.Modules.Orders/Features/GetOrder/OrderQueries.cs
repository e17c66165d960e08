using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Persistence;

namespace XiaoxiangTracking.Modules.Orders.Features.GetOrder;

internal sealed class OrderQueries(OrdersDbContext db) : IOrderQueries
{
    public Task<OrderSummary?> FindAsync(string orderId, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking()
            .Where(o => o.Id == orderId)
            .Select(o => new OrderSummary(o.Id, o.CustomerId, o.Status, o.Version))
            .SingleOrDefaultAsync(cancellationToken);
}
