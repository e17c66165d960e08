using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Shared.Errors;

namespace XiaoxiangTracking.Modules.Orders.Features.GetOrder;

internal sealed record GetOrder(string OrderId) : IQuery<OrderResponse>;

internal sealed class GetOrderHandler(OrdersDbContext db) : IQueryHandler<GetOrder, OrderResponse>
{
    public async ValueTask<OrderResponse> Handle(GetOrder query, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == query.OrderId, cancellationToken)
            ?? throw new NotFoundException("Order", query.OrderId);
        return order.ToResponse();
    }
}

internal static class GetOrderEndpoint
{
    public static void MapGetOrder(this IEndpointRouteBuilder orders) =>
        orders.MapGet("/{id}", async (string id, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new GetOrder(id), cancellationToken)))
            .WithName("GetOrder")
            .WithSummary("Get one order")
            .WithDescription("The order with its lines, addresses, status code, picking task, rider and version.")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
