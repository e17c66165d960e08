using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Simplify;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Tracking.Features.OrderTrajectory;

internal sealed record GetOrderTrajectory(string OrderId, double ToleranceMeters) : IQuery<Feature>;

internal sealed class GetOrderTrajectoryValidator : AbstractValidator<GetOrderTrajectory>
{
    public const double MaxToleranceMeters = 500;

    public GetOrderTrajectoryValidator() => RuleFor(q => q.ToleranceMeters).InclusiveBetween(0, MaxToleranceMeters);
}

/// <summary>
/// The order's delivery path: the fixes of each rider assigned to it, from their assignment until the next one or until
/// delivery or cancellation (open while delivering: fixes stamped slightly ahead of the server clock count), as a
/// GeoJSON Feature whose LineString keeps one time per kept point.
/// </summary>
internal sealed class GetOrderTrajectoryHandler(TrackingDbContext db) : IQueryHandler<GetOrderTrajectory, Feature>
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    public async ValueTask<Feature> Handle(GetOrderTrajectory query, CancellationToken cancellationToken)
    {
        var timeline = await db.OrderTracking.AsNoTracking()
            .Where(e => e.OrderId == query.OrderId)
            .OrderBy(e => e.CreatedAt)
            .Select(e => new { e.EventType, e.OperatorId, e.CreatedAt })
            .ToListAsync(cancellationToken);
        if (timeline.Count == 0)
        {
            throw new NotFoundException("Order", query.OrderId);
        }

        // Each assignment hands the path to its rider until the next one; delivery or cancellation closes it.
        var assignments = timeline.Where(e => e.EventType == OrderTrackingEntry.AssignmentEvent && e.OperatorId is not null).ToList();
        var ended = timeline.FirstOrDefault(e => e.EventType is nameof(OrderDelivered) or nameof(OrderCancelled));
        var fixes = new List<(DateTimeOffset FixTime, double Latitude, double Longitude)>();
        for (var i = 0; i < assignments.Count; i++)
        {
            var riderId = assignments[i].OperatorId!;
            var from = assignments[i].CreatedAt;
            DateTimeOffset? until = i + 1 < assignments.Count ? assignments[i + 1].CreatedAt : ended?.CreatedAt;
            var path = db.RiderPositions.AsNoTracking().Where(p => p.RiderId == riderId && p.FixTime >= from);
            if (until is { } end)
            {
                path = i + 1 < assignments.Count ? path.Where(p => p.FixTime < end) : path.Where(p => p.FixTime <= end);
            }

            fixes.AddRange((await path
                    .OrderBy(p => p.FixTime)
                    .Select(p => new { p.FixTime, p.Latitude, p.Longitude })
                    .ToListAsync(cancellationToken))
                .Select(f => (f.FixTime, f.Latitude, f.Longitude)));
        }

        var attributes = new AttributesTable
        {
            { "orderId", query.OrderId },
            { "riderId", assignments.LastOrDefault()?.OperatorId },
            { "toleranceMeters", query.ToleranceMeters },
        };

        var kept = Simplify([.. fixes.Select(f => (f.Latitude, f.Longitude))], query.ToleranceMeters);
        var coordinates = kept.Select(i => new Coordinate(fixes[i].Longitude, fixes[i].Latitude)).ToArray();
        attributes.Add("times", kept.Select(i => fixes[i].FixTime).ToArray());
        attributes.Add("recordedPoints", fixes.Count);
        Geometry? geometry = coordinates.Length switch
        {
            0 => null,
            1 => Wgs84.CreatePoint(coordinates[0]),
            _ => Wgs84.CreateLineString(coordinates),
        };
        return new Feature(geometry, attributes);
    }

    /// <summary>
    /// Douglas–Peucker in metres: the fixes are projected onto a local plane around the first one (equirectangular,
    /// exact enough across a city), simplified there, and the indices of the kept fixes returned.
    /// </summary>
    private static int[] Simplify((double Latitude, double Longitude)[] fixes, double toleranceMeters)
    {
        if (toleranceMeters <= 0 || fixes.Length < 3)
        {
            return [.. Enumerable.Range(0, fixes.Length)];
        }

        var origin = fixes[0];
        var cosLatitude = Math.Cos(origin.Latitude * Math.PI / 180);
        var local = fixes.Select((f, i) => new CoordinateM(
            (f.Longitude - origin.Longitude) * cosLatitude * Shared.Domain.GeoDistance.MetersPerDegree,
            (f.Latitude - origin.Latitude) * Shared.Domain.GeoDistance.MetersPerDegree,
            i)).ToArray<Coordinate>();
        return [.. DouglasPeuckerLineSimplifier.Simplify(local, toleranceMeters).Select(c => (int)c.M)];
    }
}

internal static class GetOrderTrajectoryEndpoint
{
    public static void MapGetOrderTrajectory(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/orders/{id}/trajectory", async (string id, double? tolerance, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new GetOrderTrajectory(id, tolerance ?? 0), cancellationToken)))
            .RequireAuthorization(Policies.Ops)
            .WithTags("Tracking")
            .WithName("GetOrderTrajectory")
            .WithSummary("Ops: an order's delivery path as GeoJSON")
            .WithDescription("A GeoJSON Feature: a LineString of the assigned rider's fixes from assignment to delivery (or now), "
                + "with properties.times holding the fix time of each point. tolerance (metres, 0–500, default 0) "
                + "simplifies the line (Douglas–Peucker); recordedPoints says how many fixes were stored.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
