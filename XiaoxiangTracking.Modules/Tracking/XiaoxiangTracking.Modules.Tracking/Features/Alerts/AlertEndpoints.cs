using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Shared.Validation;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using System.Security.Claims;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Tracking.Features.Alerts;

/// <summary>An alert as ops see it.</summary>
/// <param name="Id">The alert.</param>
/// <param name="OrderId">The order.</param>
/// <param name="Type">Stall, Offline, Deviation, TimeoutWarning or Timeout.</param>
/// <param name="Status">Open, Acknowledged or Resolved.</param>
/// <param name="RiderId">The rider concerned.</param>
/// <param name="Facts">Why, with its figures (instants in UTC), for a client to word in its viewer's language and time
/// zone; null only on alerts stored before alerts carried them.</param>
/// <param name="Detail">The facts in an English sentence, times in UTC.</param>
/// <param name="Retroactive">Raised over positions that arrived late.</param>
/// <param name="Latitude">Where (when known).</param>
/// <param name="Longitude">Where (when known).</param>
/// <param name="RaisedAt">When it was raised.</param>
/// <param name="AcknowledgedAt">When an operator took it.</param>
/// <param name="AcknowledgedBy">Who took it.</param>
/// <param name="ResolvedAt">When it was resolved.</param>
/// <param name="ResolvedBy">Who resolved it; null when it resolved itself.</param>
internal sealed record AlertResponse(
    string Id,
    string OrderId,
    string Type,
    string Status,
    string? RiderId,
    AlertFacts? Facts,
    string Detail,
    bool Retroactive,
    double? Latitude,
    double? Longitude,
    DateTimeOffset RaisedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy)
{
    public static AlertResponse Of(Alert a) => new(a.Id, a.OrderId, a.Type.ToString(), a.Status.ToString(), a.RiderId, a.Facts, a.Detail,
        a.Retroactive, a.Latitude, a.Longitude, a.RaisedAt, a.AcknowledgedAt, a.AcknowledgedBy, a.ResolvedAt, a.ResolvedBy);
}

internal sealed record ListAlerts(string? OrderId, bool Unresolved, int Limit) : IQuery<IReadOnlyList<AlertResponse>>;

internal sealed class ListAlertsValidator : AbstractValidator<ListAlerts>
{
    public ListAlertsValidator() => RuleFor(q => q.Limit).InclusiveBetween(1, 500);
}

internal sealed class ListAlertsHandler(TrackingDbContext db) : IQueryHandler<ListAlerts, IReadOnlyList<AlertResponse>>
{
    public async ValueTask<IReadOnlyList<AlertResponse>> Handle(ListAlerts query, CancellationToken cancellationToken)
    {
        var alerts = db.Alerts.AsNoTracking();
        if (query.OrderId is not null)
        {
            alerts = alerts.Where(a => a.OrderId == query.OrderId);
        }

        if (query.Unresolved)
        {
            alerts = alerts.Where(a => a.Status != AlertStatus.Resolved);
        }

        return [.. (await alerts.OrderByDescending(a => a.RaisedAt).Take(query.Limit).ToListAsync(cancellationToken)).Select(AlertResponse.Of)];
    }
}

internal sealed record AcknowledgeAlert(string AlertId, string OperatorId) : ICommand<AlertResponse>;

internal sealed record ResolveAlert(string AlertId, string OperatorId) : ICommand<AlertResponse>;

internal sealed class AcknowledgeAlertValidator : AbstractValidator<AcknowledgeAlert>
{
    public AcknowledgeAlertValidator() => RuleFor(a => a.OperatorId).IsPartyId();
}

internal sealed class ResolveAlertValidator : AbstractValidator<ResolveAlert>
{
    public ResolveAlertValidator() => RuleFor(a => a.OperatorId).IsPartyId();
}

/// <summary>An operator takes an alert (open → acknowledged); taking it again changes nothing.</summary>
internal sealed class AcknowledgeAlertHandler(TrackingDbContext db, TimeProvider clock) : ICommandHandler<AcknowledgeAlert, AlertResponse>
{
    public async ValueTask<AlertResponse> Handle(AcknowledgeAlert command, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == command.AlertId, cancellationToken)
            ?? throw new NotFoundException("Alert", command.AlertId);
        alert.Acknowledge(command.OperatorId, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return AlertResponse.Of(alert);
    }
}

/// <summary>An operator closes an alert. If its condition still holds, the next evaluation raises a new one.</summary>
internal sealed class ResolveAlertHandler(TrackingDbContext db, AlertBook alerts) : ICommandHandler<ResolveAlert, AlertResponse>
{
    public async ValueTask<AlertResponse> Handle(ResolveAlert command, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == command.AlertId, cancellationToken)
            ?? throw new NotFoundException("Alert", command.AlertId);
        if (alert.Status != AlertStatus.Resolved)
        {
            await alerts.ResolveAsync(alert.OrderId, alert.Type, command.OperatorId, cancellationToken);
        }

        return AlertResponse.Of(await db.Alerts.AsNoTracking().SingleAsync(a => a.Id == command.AlertId, cancellationToken));
    }
}

internal static class AlertEndpoints
{
    public static void MapAlerts(this IEndpointRouteBuilder tracking)
    {
        tracking.MapGet("/alerts", async (string? orderId, bool? unresolved, int? limit, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new ListAlerts(orderId, unresolved ?? true, limit ?? 100), cancellationToken)))
            .RequireAuthorization(Policies.Ops)
            .WithName("ListAlerts")
            .WithSummary("Ops: alerts, newest first (unresolved only unless unresolved=false)")
            .ProducesValidationProblem();
        tracking.MapPost("/alerts/{alertId}/acknowledge", async (string alertId, ClaimsPrincipal user, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new AcknowledgeAlert(alertId, user.Id() ?? string.Empty), cancellationToken)))
            .RequireAuthorization(Policies.Ops)
            .WithName("AcknowledgeAlert")
            .WithSummary("Ops: take an alert (open → acknowledged)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        tracking.MapPost("/alerts/{alertId}/resolve", async (string alertId, ClaimsPrincipal user, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new ResolveAlert(alertId, user.Id() ?? string.Empty), cancellationToken)))
            .RequireAuthorization(Policies.Ops)
            .WithName("ResolveAlert")
            .WithSummary("Ops: resolve an alert (raised again by the next evaluation if its condition still holds)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
