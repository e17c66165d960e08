using FluentValidation;
using XiaoxiangTracking.Modules.Shared.Validation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XiaoxiangTracking.Modules.Orders.Persistence;

namespace XiaoxiangTracking.Modules.Orders.Features.MarkOrderDelivered;

/// <summary>The rider delivered the order.</summary>
internal sealed record MarkOrderDeliveredRequest
{
    /// <summary>The rider reporting; must be the order's rider.</summary>
    /// <example>rider-0042</example>
    public string RiderId { get; init; } = null!;
}

internal sealed record MarkOrderDelivered(string OrderId, string RiderId) : ICommand<OrderResponse>;

internal sealed class MarkOrderDeliveredValidator : AbstractValidator<MarkOrderDelivered>
{
    public MarkOrderDeliveredValidator() => RuleFor(d => d.RiderId).IsPartyId();
}

internal sealed class MarkOrderDeliveredHandler(OrdersDbContext db, TimeProvider clock)
    : ICommandHandler<MarkOrderDelivered, OrderResponse>
{
    public ValueTask<OrderResponse> Handle(MarkOrderDelivered command, CancellationToken cancellationToken) =>
        OrderTransition.ApplyAsync(db, command.OrderId,
            order => order.MarkDelivered(command.RiderId, clock.GetUtcNow()), cancellationToken);
}

internal static class MarkOrderDeliveredEndpoint
{
    public static void MapMarkOrderDelivered(this IEndpointRouteBuilder orders) =>
        orders.MapPost("/{id}/delivered", async (string id, MarkOrderDeliveredRequest request, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new MarkOrderDelivered(id, request.RiderId), cancellationToken)))
            .WithName("MarkOrderDelivered")
            .WithSummary("Rider: order delivered (3 Delivering → 4 Completed)")
            .WithDescription("Only the rider the order was handed to may report its delivery.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
