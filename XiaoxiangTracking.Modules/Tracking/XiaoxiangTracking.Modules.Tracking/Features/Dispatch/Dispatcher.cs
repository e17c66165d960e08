using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Features.Eta;
using XiaoxiangTracking.Modules.Tracking.Live;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Dispatch;

/// <summary>A rider dispatch would give an order to, with the figures that ranked them.</summary>
internal sealed record RiderChoice(string RiderId, double DistanceMeters, int ActiveOrders);

/// <summary>
/// Serialises dispatch decisions in this process, so two orders dispatched at once cannot both take a rider's last
/// free place. (With several instances, the per-rider limit can be exceeded by one in a rare race; an operator fixes
/// that by reassignment.)
/// </summary>
internal sealed class DispatchGate
{
    public SemaphoreSlim Gate { get; } = new(1, 1);
}

/// <summary>
/// Chooses a rider for an order handed over without one: among riders whose latest fix is fresh and within the
/// maximum distance of the warehouse, and who deliver fewer than the maximum number of orders, the one with the lowest
/// distance + active orders × penalty (ties: rider id). With none available the order keeps waiting and is tried again
/// after the retry interval.
/// </summary>
internal sealed class Dispatcher(
    TrackingDbContext db,
    LiveOrderStore store,
    NearbyRiders nearbyRiders,
    DispatchGate dispatchGate,
    EtaEstimator eta,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<Dispatcher> logger)
{
    /// <summary>Tries to assign a rider to an order waiting for one; returns the assignment, or null when it still waits.</summary>
    public async Task<RiderChoice?> TryDispatchAsync(string orderId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await dispatchGate.Gate.WaitAsync(cancellationToken);
        try
        {
            var waiting = await db.LiveOrders.AsNoTracking()
                .Where(l => l.OrderId == orderId && l.AwaitingRider)
                .Select(l => new { l.WarehouseLocation })
                .SingleOrDefaultAsync(cancellationToken);
            if (waiting is null)
            {
                return null;
            }

            var choice = await ChooseAsync(waiting.WarehouseLocation, cancellationToken);
            var riderFix = choice is null
                ? null
                : await db.RiderFixes.AsNoTracking().SingleAsync(f => f.RiderId == choice.RiderId, cancellationToken);
            var saved = await store.ChangeAsync(orderId, async (live, token) =>
            {
                if (!live.AwaitingRider)
                {
                    return null;
                }

                if (choice is null)
                {
                    return new LiveChange.NoRiderFound(settings.RetryInterval);
                }

                var now = clock.GetUtcNow();
                var speed = await eta.SpeedForAsync(live, now, token);
                return new LiveChange.Assignment(choice.RiderId, riderFix, AssignmentSource.Dispatch, null, Math.Round(choice.DistanceMeters, 1),
                    l => eta.Estimate(l, riderFix?.Location, speed, now));
            }, cancellationToken);

            if (choice is null)
            {
                // Said once per order; the retries that follow are routine until one finds a rider.
                logger.Log(saved?.DispatchAttempts > 1 ? LogLevel.Debug : LogLevel.Information,
                    "No rider available for order {OrderId} (attempt {Attempt}); retrying every {RetryInterval}",
                    orderId, saved?.DispatchAttempts, settings.RetryInterval);
                return null;
            }

            logger.LogInformation("Order {OrderId} dispatched to rider {RiderId} ({Distance:0} m away, {ActiveOrders} active order(s))",
                orderId, choice.RiderId, choice.DistanceMeters, choice.ActiveOrders);
            return saved is null ? null : choice;
        }
        finally
        {
            dispatchGate.Gate.Release();
        }
    }

    private async Task<RiderChoice?> ChooseAsync(GeoCoordinate pickup, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var since = clock.GetUtcNow() - settings.PositionFreshness;
        var candidates = await nearbyRiders.FindAsync(pickup, since, settings.MaxDistanceMeters, cancellationToken);
        if (candidates.Count == 0)
        {
            return null;
        }

        var riderIds = candidates.Select(c => c.RiderId).ToList();
        var load = await db.LiveOrders.AsNoTracking()
            .Where(l => l.IsActive && l.RiderId != null && riderIds.Contains(l.RiderId))
            .GroupBy(l => l.RiderId!)
            .Select(g => new { RiderId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.RiderId, g => g.Count, cancellationToken);

        return candidates
            .Select(c => new RiderChoice(c.RiderId, GeoDistance.Meters(pickup, c.Location), load.GetValueOrDefault(c.RiderId)))
            .Where(c => c.DistanceMeters <= settings.MaxDistanceMeters && c.ActiveOrders < settings.MaxActiveOrdersPerRider)
            .OrderBy(c => c.DistanceMeters + (c.ActiveOrders * settings.ActiveOrderPenaltyMeters))
            .ThenBy(c => c.RiderId, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
