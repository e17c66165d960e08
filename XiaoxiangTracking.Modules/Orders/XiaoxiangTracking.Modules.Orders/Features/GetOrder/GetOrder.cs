using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Orders.Features.GetOrder;

internal sealed record GetOrder(string OrderId, OrderViewer Viewer) : IQuery<OrderResponse>;

internal sealed class GetOrderHandler(OrdersDbContext db) : IQueryHandler<GetOrder, OrderResponse>
{
    public async ValueTask<OrderResponse> Handle(GetOrder query, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == query.OrderId, cancellationToken)
            ?? throw new NotFoundException("Order", query.OrderId);
        return order.ToResponse(query.Viewer);
    }
}

internal static class GetOrderEndpoint
{
    public static void MapGetOrder(this IEndpointRouteBuilder orders) =>
        orders.MapGet("/{id}", async (string id, ClaimsPrincipal user, IOrderQueries access, ISender sender, CancellationToken cancellationToken) =>
            {
                var viewer = (await access.RequireAsync(user, id, cancellationToken)).Viewer;
                return TypedResults.Ok(await sender.Send(new GetOrder(id, viewer), cancellationToken));
            })
            .RequireAuthorization(Policies.Participants)
            .WithName("GetOrder")
            .WithSummary("Get one order")
            .WithDescription("The order with its lines, addresses, status code, picking task, rider and version, as the "
                + "caller may see it: customers their own orders, warehouse staff their warehouse's, riders the one they "
                + "are delivering, ops all. Any other id answers 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
