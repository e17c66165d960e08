using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Shared.Idempotency;

namespace XiaoxiangTracking.Modules.Orders.Features.PlaceOrder;

internal static class PlaceOrderEndpoint
{
    public static void MapPlaceOrder(this IEndpointRouteBuilder orders) =>
        orders.MapPost("/", async (PlaceOrder command, ISender sender, CancellationToken cancellationToken) =>
            {
                var order = await sender.Send(command, cancellationToken);
                return TypedResults.Created($"/api/orders/{order.Id}", order);
            })
            .WithName("PlaceOrder")
            .WithSummary("Place an order (status 1 PendingPayment)")
            .WithDescription("Creates an order from its lines; the total is computed from the lines. "
                + "Send an Idempotency-Key to make retries safe.")
            .ProducesValidationProblem()
            .WithIdempotency<OrdersDbContext>();
}
