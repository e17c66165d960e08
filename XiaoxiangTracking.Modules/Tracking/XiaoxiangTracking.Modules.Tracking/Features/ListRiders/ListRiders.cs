using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Security;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Features.ListRiders;

/// <summary>A rider on the ops map: their latest fix and the order they are delivering, if any.</summary>
/// <param name="RiderId">The rider.</param>
/// <param name="FixTime">When their latest fix was taken.</param>
/// <param name="Latitude">WGS 84 latitude of that fix.</param>
/// <param name="Longitude">WGS 84 longitude of that fix.</param>
/// <param name="Speed">Speed in m/s, when reported.</param>
/// <param name="Heading">Heading in degrees, when reported.</param>
/// <param name="OrderId">The order they are delivering; null when free.</param>
internal sealed record ActiveRider(
    string RiderId, DateTimeOffset FixTime, double Latitude, double Longitude, double? Speed, double? Heading, string? OrderId);

/// <summary>Riders whose latest fix is at most <paramref name="SeenWithin"/> old, most recent first.</summary>
internal sealed record ListRiders(TimeSpan SeenWithin, int Limit) : IQuery<IReadOnlyList<ActiveRider>>;

internal sealed class ListRidersValidator : AbstractValidator<ListRiders>
{
    public ListRidersValidator()
    {
        RuleFor(q => q.SeenWithin).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        RuleFor(q => q.Limit).InclusiveBetween(1, 5000);
    }
}

internal sealed class ListRidersHandler(TrackingDbContext db, TimeProvider clock) : IQueryHandler<ListRiders, IReadOnlyList<ActiveRider>>
{
    public async ValueTask<IReadOnlyList<ActiveRider>> Handle(ListRiders query, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - query.SeenWithin;
        var riders = await db.RiderFixes.AsNoTracking()
            .Where(f => f.FixTime >= since)
            .OrderByDescending(f => f.FixTime)
            .Take(query.Limit)
            .ToListAsync(cancellationToken);
        var ids = riders.Select(r => r.RiderId).ToList();
        var delivering = await db.LiveOrders.AsNoTracking()
            .Where(l => l.IsActive && l.Status == OrderStatus.Delivering && l.RiderId != null && ids.Contains(l.RiderId))
            .Select(l => new { l.RiderId, l.OrderId })
            .ToListAsync(cancellationToken);
        var orders = delivering.GroupBy(d => d.RiderId!).ToDictionary(g => g.Key, g => g.First().OrderId, StringComparer.Ordinal);
        return [.. riders.Select(r => new ActiveRider(
            r.RiderId, r.FixTime, r.Latitude, r.Longitude, r.Speed, r.Heading, orders.GetValueOrDefault(r.RiderId)))];
    }
}

internal static class ListRidersEndpoint
{
    public static void MapListRiders(this IEndpointRouteBuilder tracking) =>
        tracking.MapGet("/riders", async (TimeSpan? seenWithin, int? limit, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new ListRiders(seenWithin ?? TimeSpan.FromMinutes(10), limit ?? 1000), cancellationToken)))
            .RequireAuthorization(Policies.Ops)
            .WithName("ListRiders")
            .WithSummary("Ops: riders seen recently, with their latest fix and the order they deliver")
            .WithDescription("seenWithin (default 00:10:00, at most a day) bounds how old a rider's latest fix may be; limit (default 1000, at most 5000).")
            .ProducesValidationProblem();
}
