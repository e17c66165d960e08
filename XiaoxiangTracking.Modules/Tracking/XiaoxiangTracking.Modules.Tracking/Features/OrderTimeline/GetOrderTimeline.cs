using System.Linq.Expressions;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using System.Security.Claims;
using XiaoxiangTracking.Modules.Shared.Security;
using XiaoxiangTracking.Modules.Orders.Contracts;

namespace XiaoxiangTracking.Modules.Tracking.Features.OrderTimeline;

/// <summary>One entry of an order's timeline.</summary>
/// <param name="At">When it happened.</param>
/// <param name="Event">What happened, e.g. OrderPaid.</param>
/// <param name="Status">The order status code (1–5) at this point.</param>
/// <param name="OrderVersion">The order's own version after the change, for order changes.</param>
/// <param name="Latitude">Where, if known.</param>
/// <param name="Longitude">Where, if known.</param>
/// <param name="Address">Address, if known.</param>
/// <param name="OperatorId">Who reported it (rider or warehouse id).</param>
/// <param name="OperatorType">1 rider, 2 warehouse.</param>
internal sealed record TimelineEntry(
    DateTimeOffset At,
    string Event,
    int Status,
    long? OrderVersion,
    double? Latitude,
    double? Longitude,
    string? Address,
    string? OperatorId,
    int? OperatorType)
{
    /// <summary>The projection from a stored <c>order_tracking</c> row (translated to SQL).</summary>
    public static readonly Expression<Func<OrderTrackingEntry, TimelineEntry>> FromRow = e => new TimelineEntry(
        e.CreatedAt, e.EventType, e.Status, e.OrderVersion, e.Latitude, e.Longitude, e.Address, e.OperatorId, (int?)e.OperatorType);

    /// <summary>
    /// The timeline as the viewer may see it: alerts are for staff (ops, warehouse); customers see what happened and
    /// when, without who reported it or where the rider was.
    /// </summary>
    public static IReadOnlyList<TimelineEntry> For(IReadOnlyList<TimelineEntry> entries, OrderViewer viewer) => viewer switch
    {
        OrderViewer.Customer or OrderViewer.Shared => [.. entries.Where(e => !OrderTrackingEntry.IsAlertEvent(e.Event))
            .Select(e => e with { Latitude = null, Longitude = null, Address = null, OperatorId = null, OperatorType = null })],
        OrderViewer.Rider => [.. entries.Where(e => !OrderTrackingEntry.IsAlertEvent(e.Event))],
        _ => entries,
    };
}

internal sealed record GetOrderTimeline(string OrderId, OrderViewer Viewer) : IQuery<IReadOnlyList<TimelineEntry>>;

internal sealed class GetOrderTimelineHandler(TrackingDbContext db) : IQueryHandler<GetOrderTimeline, IReadOnlyList<TimelineEntry>>
{
    public async ValueTask<IReadOnlyList<TimelineEntry>> Handle(GetOrderTimeline query, CancellationToken cancellationToken)
    {
        var entries = await db.OrderTracking.AsNoTracking()
            .Where(e => e.OrderId == query.OrderId)
            // At one instant, causes first: a warehouse report, then the order change it caused, then the assignment.
            .OrderBy(e => e.CreatedAt)
            .ThenBy(e => e.OrderVersion != null ? 1 : e.EventType == OrderTrackingEntry.AssignmentEvent ? 2 : 0)
            .ThenBy(e => e.OrderVersion)
            .Select(TimelineEntry.FromRow)
            .ToListAsync(cancellationToken);
        return entries.Count > 0 ? TimelineEntry.For(entries, query.Viewer) : throw new NotFoundException("Order", query.OrderId);
    }
}

internal static class GetOrderTimelineEndpoint
{
    public static void MapGetOrderTimeline(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/orders/{id}/timeline", async (string id, ClaimsPrincipal user, IOrderQueries orders, ISender sender, CancellationToken cancellationToken) =>
            {
                var viewer = (await orders.RequireAsync(user, id, cancellationToken)).Viewer;
                return TypedResults.Ok(await sender.Send(new GetOrderTimeline(id, viewer), cancellationToken));
            })
            .RequireAuthorization(Policies.Watchers)
            .WithTags("Tracking")
            .WithName("GetOrderTimeline")
            .WithSummary("An order's timeline")
            .WithDescription("Status changes in time order (the seed's order_tracking rows), with who reported them and where. "
                + "Alerts are shown to ops and warehouse staff; customers see each entry without who reported it or where.")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
