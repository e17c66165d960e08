using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Tracking.Features.Quality;

/// <summary>How well an order's delivery was tracked.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="RiderId">The rider measured (the current one).</param>
/// <param name="From">Start of the measured stretch: the assignment.</param>
/// <param name="Until">End of it: delivery, or now.</param>
/// <param name="Fixes">Fixes stored in the stretch.</param>
/// <param name="ExpectedFixes">Fixes a rider reporting every 15 s would have sent.</param>
/// <param name="SamplingShare">Fixes / expected fixes, at most 1.</param>
/// <param name="LongestGap">The longest time without a fix (including the stretch's ends).</param>
/// <param name="RejectedFixes">Fixes the filters refused in the stretch.</param>
/// <param name="FilteredShare">Rejected / (stored + rejected).</param>
/// <param name="Confidence">High, Medium or Low: what customers see as the confidence of the ETA.</param>
internal sealed record TrackingQualityReport(
    string OrderId,
    string? RiderId,
    DateTimeOffset From,
    DateTimeOffset Until,
    int Fixes,
    int ExpectedFixes,
    double SamplingShare,
    TimeSpan LongestGap,
    int RejectedFixes,
    double FilteredShare,
    string Confidence);

/// <summary>The tracking-quality figure as plain functions of the fix times in a stretch and the rejected count.</summary>
internal static class TrackingQuality
{
    /// <summary>The rider apps' reporting target.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(15);

    public static (int Expected, double Sampling, TimeSpan LongestGap, double Filtered, string Confidence) Measure(
        IReadOnlyList<DateTimeOffset> fixTimesOldestFirst, DateTimeOffset from, DateTimeOffset until, int rejected)
    {
        var span = until > from ? until - from : TimeSpan.Zero;
        var expected = Math.Max(1, (int)Math.Floor(span / ReportInterval));
        var sampling = Math.Min(1, fixTimesOldestFirst.Count / (double)expected);
        var edges = new[] { from }.Concat(fixTimesOldestFirst).Append(until).ToList();
        var longestGap = edges.Zip(edges.Skip(1)).Select(pair => pair.Second - pair.First).DefaultIfEmpty(TimeSpan.Zero).Max();
        var filtered = rejected + fixTimesOldestFirst.Count == 0 ? 0 : rejected / (double)(rejected + fixTimesOldestFirst.Count);
        var confidence = sampling >= 0.8 && longestGap <= TimeSpan.FromMinutes(1) && filtered <= 0.1 ? "High"
            : sampling < 0.5 || longestGap > TimeSpan.FromMinutes(3) || filtered > 0.3 ? "Low"
            : "Medium";
        return (expected, Math.Round(sampling, 3), longestGap, Math.Round(filtered, 3), confidence);
    }

    /// <summary>The order's figure from assignment to delivery (or <paramref name="now"/>); null before a rider was assigned.</summary>
    public static async Task<TrackingQualityReport?> ReportAsync(TrackingDbContext db, LiveOrder order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (order is not { RiderId: { } riderId, AssignedAt: { } from })
        {
            return null;
        }

        var until = order.IsActive ? now : order.UpdatedAt;
        var times = await db.RiderPositions.AsNoTracking()
            .Where(p => p.RiderId == riderId && p.FixTime >= from && p.FixTime <= until)
            .OrderBy(p => p.FixTime)
            .Select(p => p.FixTime)
            .ToListAsync(cancellationToken);
        var rejected = await db.RejectedFixes.AsNoTracking().Where(r => r.OrderId == order.OrderId).Select(r => r.Count).SingleOrDefaultAsync(cancellationToken);
        var (expected, sampling, gap, filtered, confidence) = Measure(times, from, until, rejected);
        return new TrackingQualityReport(order.OrderId, riderId, from, until, times.Count, expected, sampling, gap, rejected, filtered, confidence);
    }
}

internal sealed record GetTrackingQuality(string OrderId) : IQuery<TrackingQualityReport>;

internal sealed class GetTrackingQualityHandler(TrackingDbContext db, TimeProvider clock) : IQueryHandler<GetTrackingQuality, TrackingQualityReport>
{
    public async ValueTask<TrackingQualityReport> Handle(GetTrackingQuality query, CancellationToken cancellationToken)
    {
        var order = await db.LiveOrders.AsNoTracking().SingleOrDefaultAsync(l => l.OrderId == query.OrderId, cancellationToken)
            ?? throw new NotFoundException("Order", query.OrderId);
        return await TrackingQuality.ReportAsync(db, order, clock.GetUtcNow(), cancellationToken)
            ?? throw new RuleViolationException("no_rider_yet", $"Order {query.OrderId} has no rider yet; tracking quality is measured from the assignment.");
    }
}

internal static class GetTrackingQualityEndpoint
{
    public static void MapGetTrackingQuality(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/orders/{id}/tracking-quality", async (string id, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new GetTrackingQuality(id), cancellationToken)))
            .RequireAuthorization(Policies.Ops)
            .WithTags("Tracking")
            .WithName("GetTrackingQuality")
            .WithSummary("Ops: how well the delivery was tracked (sampling against the 15-s target, longest gap, filtered share)")
            .WithDescription("Measured from the assignment to delivery (or now). Customers see the same figure as the confidence of the ETA.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
