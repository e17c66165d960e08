using System.ComponentModel.DataAnnotations;
using FluentValidation;
using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Idempotency;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Orders.Features.CancelOrder;

/// <summary>Why the order is cancelled.</summary>
internal sealed record CancelOrderRequest
{
    /// <summary>Reason, up to 500 characters.</summary>
    /// <example>不想要了</example>
    [Required]
    public string Reason { get; init; } = null!;
}

internal sealed record CancelOrder(string OrderId, string Reason, OrderViewer Viewer) : ICommand<OrderResponse>;

internal sealed class CancelOrderValidator : AbstractValidator<CancelOrder>
{
    public CancelOrderValidator() => RuleFor(c => c.Reason).NotEmpty().MaximumLength(500);
}

internal sealed class CancelOrderHandler(OrdersDbContext db, TimeProvider clock) : ICommandHandler<CancelOrder, OrderResponse>
{
    public ValueTask<OrderResponse> Handle(CancelOrder command, CancellationToken cancellationToken) =>
        OrderTransition.ApplyAsync(db, command.OrderId, command.Viewer,
            order => order.Cancel(command.Reason, clock.GetUtcNow()), cancellationToken);
}

internal static class CancelOrderEndpoint
{
    public static void MapCancelOrder(this IEndpointRouteBuilder orders) =>
        orders.MapPost("/{id}/cancel", async (string id, CancelOrderRequest request, ClaimsPrincipal user, IOrderQueries access, ISender sender, CancellationToken cancellationToken) =>
            {
                var viewer = (await access.RequireAsync(user, id, cancellationToken, OrderViewer.Customer, OrderViewer.Ops)).Viewer;
                return TypedResults.Ok(await sender.Send(new CancelOrder(id, request.Reason, viewer), cancellationToken));
            })
            .RequireAuthorization(Policies.Customers)
            .RequireRateLimiting(RateLimits.OrderActions)
            .WithName("CancelOrder")
            .WithSummary("Cancel an order (1 or 2 → 5 Cancelled)")
            .WithDescription("Allowed while the order waits for payment or is being picked; a pending picking task "
                + "is cancelled with it. Send an Idempotency-Key to make retries safe.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithIdempotency<OrdersDbContext>();
}
