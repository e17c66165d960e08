using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Shared.Idempotency;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Orders.Features.PlaceOrder;

internal static class PlaceOrderEndpoint
{
    public static void MapPlaceOrder(this IEndpointRouteBuilder orders) =>
        orders.MapPost("/", async (PlaceOrder command, ClaimsPrincipal user, ISender sender, CancellationToken cancellationToken) =>
            {
                var customerId = user.ActingAs(command.CustomerId, Roles.Customer, "place orders");
                var order = await sender.Send(command with { CustomerId = customerId }, cancellationToken);
                return TypedResults.Created($"/api/orders/{order.Id}", order);
            })
            .WithName("PlaceOrder")
            .WithSummary("Place an order (status 1 PendingPayment)")
            .WithDescription("Creates an order from its lines; the total is computed from the lines. "
                + "Send an Idempotency-Key to make retries safe.")
            .RequireAuthorization(Policies.Customers)
            .RequireRateLimiting(RateLimits.OrderActions)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithIdempotency<OrdersDbContext>();
}
