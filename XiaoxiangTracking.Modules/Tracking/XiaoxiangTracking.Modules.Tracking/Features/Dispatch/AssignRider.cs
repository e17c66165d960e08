using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Shared.Validation;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Features.Eta;
using XiaoxiangTracking.Modules.Tracking.Features.LiveState;
using XiaoxiangTracking.Modules.Tracking.Live;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using System.Security.Claims;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Tracking.Features.Dispatch;

/// <summary>An operator's assignment (or reassignment) of an order being delivered.</summary>
internal sealed record AssignRiderRequest
{
    /// <summary>The rider who delivers the order from now on.</summary>
    /// <example>rider-0042</example>
    [Required]
    public string RiderId { get; init; } = null!;
}

internal sealed record AssignRider(string OrderId, string RiderId, string OperatorId) : ICommand<LiveOrderResponse>;

internal sealed class AssignRiderValidator : AbstractValidator<AssignRider>
{
    public AssignRiderValidator()
    {
        RuleFor(a => a.RiderId).IsPartyId();
        RuleFor(a => a.OperatorId).IsPartyId();
    }
}

/// <summary>
/// Gives an order that is being delivered (3) to the named rider, whether it was waiting for dispatch or already had a
/// rider. Operators may exceed dispatch's limits (distance, load): they know what dispatch does not. Assigning the rider
/// the order already has changes nothing.
/// </summary>
internal sealed class AssignRiderHandler(TrackingDbContext db, LiveOrderStore store, EtaEstimator eta, TimeProvider clock)
    : ICommandHandler<AssignRider, LiveOrderResponse>
{
    public async ValueTask<LiveOrderResponse> Handle(AssignRider command, CancellationToken cancellationToken)
    {
        var riderFix = await db.RiderFixes.AsNoTracking().SingleOrDefaultAsync(f => f.RiderId == command.RiderId, cancellationToken);
        var saved = await store.ChangeAsync(command.OrderId, async (live, token) =>
        {
            if (live.RiderId == command.RiderId && live.IsActive)
            {
                return null;
            }

            var now = clock.GetUtcNow();
            var speed = await eta.SpeedForAsync(live, now, token);
            return new LiveChange.Assignment(command.RiderId, riderFix, AssignmentSource.Operator, command.OperatorId, null,
                l => eta.Estimate(l, riderFix?.Location, speed, now));
        }, cancellationToken);

        if (saved is not null)
        {
            return LiveOrderResponse.Of(saved.ToSnapshot(), OrderViewer.Ops);
        }

        var current = await db.LiveOrders.AsNoTracking().SingleOrDefaultAsync(l => l.OrderId == command.OrderId, cancellationToken)
            ?? throw new NotFoundException("Order", command.OrderId);
        return LiveOrderResponse.Of(current.ToSnapshot(), OrderViewer.Ops);
    }
}

internal static class AssignRiderEndpoint
{
    public static void MapAssignRider(this IEndpointRouteBuilder tracking) =>
        tracking.MapPut("/orders/{orderId}/rider", async (string orderId, AssignRiderRequest request, ClaimsPrincipal user, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new AssignRider(orderId, request.RiderId, user.Id() ?? string.Empty), cancellationToken)))
            .RequireAuthorization(Policies.Ops)
            .WithName("AssignRider")
            .WithSummary("Ops: assign or reassign the rider of an order being delivered")
            .WithDescription("Overrides dispatch (its distance and load limits do not apply); the caller is recorded as the "
                + "operator. The order must be Delivering (3). Returns the order's live state; assigning the current rider again changes nothing.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
