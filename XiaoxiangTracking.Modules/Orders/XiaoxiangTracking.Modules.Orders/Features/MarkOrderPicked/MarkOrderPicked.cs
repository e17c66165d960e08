using FluentValidation;
using XiaoxiangTracking.Modules.Shared.Validation;
using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Shared.Idempotency;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Orders.Features.MarkOrderPicked;

/// <summary>The warehouse finished picking and handed the order over (to a rider waiting there, or to dispatch).</summary>
internal sealed record MarkOrderPickedRequest
{
    /// <summary>The warehouse reporting; must be the order's warehouse. Warehouse staff report for their own warehouse and may leave it out.</summary>
    /// <example>wh-pudong-01</example>
    public string? WarehouseId { get; init; }

    /// <summary>The rider who took the order at the warehouse; omit it to let dispatch assign the nearest available rider.</summary>
    /// <example>rider-0042</example>
    public string? RiderId { get; init; }
}

internal sealed record MarkOrderPicked(string OrderId, string WarehouseId, string? RiderId, OrderViewer Viewer) : ICommand<OrderResponse>;

internal sealed class MarkOrderPickedValidator : AbstractValidator<MarkOrderPicked>
{
    public MarkOrderPickedValidator()
    {
        RuleFor(p => p.WarehouseId).IsPartyId();
        RuleFor(p => p.RiderId!).IsPartyId().When(p => p.RiderId is not null);
    }
}

internal sealed class MarkOrderPickedHandler(OrdersDbContext db, TimeProvider clock)
    : ICommandHandler<MarkOrderPicked, OrderResponse>
{
    public ValueTask<OrderResponse> Handle(MarkOrderPicked command, CancellationToken cancellationToken) =>
        OrderTransition.ApplyAsync(db, command.OrderId, command.Viewer,
            order => order.MarkPicked(command.WarehouseId, command.RiderId, clock.GetUtcNow()), cancellationToken);
}

internal static class MarkOrderPickedEndpoint
{
    public static void MapMarkOrderPicked(this IEndpointRouteBuilder orders) =>
        orders.MapPost("/{id}/picked", async (string id, MarkOrderPickedRequest request, ClaimsPrincipal user, IOrderQueries access, ISender sender, CancellationToken cancellationToken) =>
            {
                var viewer = (await access.RequireAsync(user, id, cancellationToken, OrderViewer.Warehouse, OrderViewer.Ops)).Viewer;
                var warehouseId = viewer == OrderViewer.Ops ? request.WarehouseId : request.WarehouseId ?? user.WarehouseId();
                return TypedResults.Ok(await sender.Send(new MarkOrderPicked(id, warehouseId ?? string.Empty, request.RiderId, viewer), cancellationToken));
            })
            .RequireAuthorization(Policies.Warehouses)
            .WithName("MarkOrderPicked")
            .WithSummary("Warehouse: picking complete, handed over (2 Paid → 3 Delivering)")
            .WithDescription("Completes the picking task and starts delivery, with the named rider or, without one, with "
                + "the rider dispatch assigns. Send an Idempotency-Key to make retries safe.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithIdempotency<OrdersDbContext>();
}
