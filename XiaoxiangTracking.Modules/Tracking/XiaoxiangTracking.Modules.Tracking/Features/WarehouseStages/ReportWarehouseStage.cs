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
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Features.OrderTimeline;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using System.Security.Claims;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Tracking.Features.WarehouseStages;

/// <summary>A picking stage reported by the warehouse system.</summary>
internal sealed record WarehouseStageReport
{
    /// <summary>The order being picked.</summary>
    /// <example>0193a1b2c3d4e5f60718293a4b5c6d7e</example>
    [Required]
    public string OrderId { get; init; } = null!;

    /// <summary>The reporting warehouse; must be the order's warehouse. Warehouse staff report for their own and may leave it out; ops name it.</summary>
    /// <example>wh-pudong-01</example>
    public string? WarehouseId { get; init; }

    /// <summary>Received, Picking, Packed or HandedOver.</summary>
    /// <example>HandedOver</example>
    [Required]
    public string Stage { get; init; } = null!;

    /// <summary>The rider who took the order; required for HandedOver, absent otherwise.</summary>
    /// <example>rider-0042</example>
    public string? RiderId { get; init; }
}

internal sealed record ReportWarehouseStage(string OrderId, string WarehouseId, string Stage, string? RiderId) : ICommand<TimelineEntry>;

internal sealed class ReportWarehouseStageValidator : AbstractValidator<ReportWarehouseStage>
{
    public ReportWarehouseStageValidator()
    {
        RuleFor(r => r.OrderId).NotEmpty().MaximumLength(32);
        RuleFor(r => r.WarehouseId).IsPartyId();
        RuleFor(r => r.Stage).Must(s => Enum.TryParse<WarehouseStage>(s, ignoreCase: false, out var stage) && Enum.IsDefined(stage)
                && !int.TryParse(s, out _))
            .WithMessage("'stage' must be one of Received, Picking, Packed, HandedOver.");
        RuleFor(r => r.RiderId!).IsPartyId().When(r => r.Stage == nameof(WarehouseStage.HandedOver));
        RuleFor(r => r.RiderId).Null().When(r => r.Stage != nameof(WarehouseStage.HandedOver))
            .WithMessage("'riderId' is given only with the HandedOver stage.");
    }
}

/// <summary>
/// Records a stage on the order's timeline while the warehouse holds the order (status 2, its own warehouse). A stage
/// reported again returns the entry recorded the first time. The hand-over raises <c>WarehouseHandedOver</c>, written
/// to the module's outbox with the entry, so the Orders module starts delivery even if the process dies right after.
/// </summary>
internal sealed class ReportWarehouseStageHandler(TrackingDbContext db, Eta.EtaEstimator eta, TimeProvider clock)
    : ICommandHandler<ReportWarehouseStage, TimelineEntry>
{
    public async ValueTask<TimelineEntry> Handle(ReportWarehouseStage command, CancellationToken cancellationToken)
    {
        var stage = Enum.Parse<WarehouseStage>(command.Stage);
        var eventType = OrderTrackingEntry.StageEvent(stage);
        if (await Find(command.OrderId, eventType, cancellationToken) is { } recorded)
        {
            return recorded;
        }

        // Checked against the live state, which the warehouse's screen shows: the payment reaches it and the timeline by
        // two handlers that commit apart, so the timeline may lag what the staff see.
        var live = await db.LiveOrders.AsNoTracking()
            .Where(l => l.OrderId == command.OrderId)
            .Select(l => new { l.Status, l.WarehouseId })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Order", command.OrderId);
        if (live.Status != OrderStatus.Paid)
        {
            throw new RuleViolationException(
                "not_at_warehouse",
                $"Order {command.OrderId} is {live.Status} ({(int)live.Status}); warehouse stages are reported while it is Paid (2).",
                new Dictionary<string, object?> { ["currentStatus"] = (int)live.Status });
        }

        if (!string.Equals(live.WarehouseId, command.WarehouseId, StringComparison.Ordinal))
        {
            throw new RuleViolationException("wrong_warehouse", $"Order {command.OrderId} is not picked by warehouse {command.WarehouseId}.");
        }

        db.OrderTracking.Add(OrderTrackingEntry.ForWarehouseStage(
            command.OrderId, stage, command.WarehouseId, command.RiderId, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same stage reported concurrently: the first report stands.
            db.ChangeTracker.Clear();
        }

        if (stage == WarehouseStage.Packed)
        {
            // Picking is done: the ETA before a rider shrinks to packing, the wait for a rider and the ride.
            await eta.UpdateBeforeRiderAsync(command.OrderId, packed: true, clock.GetUtcNow(), cancellationToken);
        }

        return await Find(command.OrderId, eventType, cancellationToken)
            ?? throw new InvalidOperationException($"Stage {eventType} of order {command.OrderId} was not recorded.");
    }

    private Task<TimelineEntry?> Find(string orderId, string eventType, CancellationToken cancellationToken) =>
        db.OrderTracking.AsNoTracking()
            .Where(e => e.OrderId == orderId && e.EventType == eventType && e.OrderVersion == null)
            .Select(TimelineEntry.FromRow)
            .FirstOrDefaultAsync(cancellationToken);
}

internal static class ReportWarehouseStageEndpoint
{
    public static void MapReportWarehouseStage(this IEndpointRouteBuilder tracking) =>
        tracking.MapPost("/warehouse-stages", async (
                WarehouseStageReport report, ClaimsPrincipal user, IOrderQueries orders, ISender sender, CancellationToken cancellationToken) =>
            {
                var viewer = string.IsNullOrWhiteSpace(report.OrderId)
                    ? OrderViewer.Ops // Nothing to check yet: validation answers the missing order id.
                    : (await orders.RequireAsync(user, report.OrderId, cancellationToken, OrderViewer.Warehouse, OrderViewer.Ops)).Viewer;
                var warehouseId = viewer == OrderViewer.Ops ? report.WarehouseId : report.WarehouseId ?? user.WarehouseId();
                return TypedResults.Ok(await sender.Send(
                    new ReportWarehouseStage(report.OrderId, warehouseId ?? string.Empty, report.Stage, report.RiderId), cancellationToken));
            })
            .RequireAuthorization(Policies.Warehouses)
            .WithName("ReportWarehouseStage")
            .WithSummary("Warehouse: report a picking stage (Received, Picking, Packed, HandedOver)")
            .WithDescription("Shown on the order's timeline. HandedOver (with the rider) starts delivery: the order moves "
                + "to 3 Delivering. Reporting a stage again returns the first report.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
