using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Shared.Idempotency;

namespace XiaoxiangTracking.Modules.Orders.Features.CancelOrder;

/// <summary>Why the order is cancelled.</summary>
internal sealed record CancelOrderRequest
{
    /// <summary>Reason, up to 500 characters.</summary>
    /// <example>不想要了</example>
    public string Reason { get; init; } = null!;
}

internal sealed record CancelOrder(string OrderId, string Reason) : ICommand<OrderResponse>;

internal sealed class CancelOrderValidator : AbstractValidator<CancelOrder>
{
    public CancelOrderValidator() => RuleFor(c => c.Reason).NotEmpty().MaximumLength(500);
}

internal sealed class CancelOrderHandler(OrdersDbContext db, TimeProvider clock) : ICommandHandler<CancelOrder, OrderResponse>
{
    public ValueTask<OrderResponse> Handle(CancelOrder command, CancellationToken cancellationToken) =>
        OrderTransition.ApplyAsync(db, command.OrderId,
            order => order.Cancel(command.Reason, clock.GetUtcNow()), cancellationToken);
}

internal static class CancelOrderEndpoint
{
    public static void MapCancelOrder(this IEndpointRouteBuilder orders) =>
        orders.MapPost("/{id}/cancel", async (string id, CancelOrderRequest request, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new CancelOrder(id, request.Reason), cancellationToken)))
            .WithName("CancelOrder")
            .WithSummary("Cancel an order (1 or 2 → 5 Cancelled)")
            .WithDescription("Allowed while the order waits for payment or is being picked; a pending picking task "
                + "is cancelled with it. Send an Idempotency-Key to make retries safe.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithIdempotency<OrdersDbContext>();
}
