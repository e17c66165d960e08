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

namespace XiaoxiangTracking.Modules.Orders.Features.MarkOrderDelivered;

/// <summary>The rider delivered the order.</summary>
internal sealed record MarkOrderDeliveredRequest
{
    /// <summary>The rider reporting; must be the order's rider. Riders report as themselves and may leave it out.</summary>
    /// <example>rider-0042</example>
    public string? RiderId { get; init; }
}

internal sealed record MarkOrderDelivered(string OrderId, string RiderId, OrderViewer Viewer) : ICommand<OrderResponse>;

internal sealed class MarkOrderDeliveredValidator : AbstractValidator<MarkOrderDelivered>
{
    public MarkOrderDeliveredValidator() => RuleFor(d => d.RiderId).IsPartyId();
}

internal sealed class MarkOrderDeliveredHandler(OrdersDbContext db, TimeProvider clock)
    : ICommandHandler<MarkOrderDelivered, OrderResponse>
{
    public ValueTask<OrderResponse> Handle(MarkOrderDelivered command, CancellationToken cancellationToken) =>
        OrderTransition.ApplyAsync(db, command.OrderId, command.Viewer,
            order => order.MarkDelivered(command.RiderId, clock.GetUtcNow()), cancellationToken);
}

internal static class MarkOrderDeliveredEndpoint
{
    public static void MapMarkOrderDelivered(this IEndpointRouteBuilder orders) =>
        orders.MapPost("/{id}/delivered", async (string id, MarkOrderDeliveredRequest request, ClaimsPrincipal user, IOrderQueries access, ISender sender, CancellationToken cancellationToken) =>
            {
                var viewer = (await access.RequireAsync(user, id, cancellationToken, OrderViewer.Rider, OrderViewer.Ops)).Viewer;
                var riderId = user.ActingAs(request.RiderId, Roles.Rider, "report deliveries");
                return TypedResults.Ok(await sender.Send(new MarkOrderDelivered(id, riderId, viewer), cancellationToken));
            })
            .RequireAuthorization(Policies.Riders)
            .WithName("MarkOrderDelivered")
            .WithSummary("Rider: order delivered (3 Delivering → 4 Completed)")
            .WithDescription("Only the rider the order was handed to may report its delivery (or ops, naming that rider). "
                + "Send an Idempotency-Key to make retries safe.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithIdempotency<OrdersDbContext>();
}
