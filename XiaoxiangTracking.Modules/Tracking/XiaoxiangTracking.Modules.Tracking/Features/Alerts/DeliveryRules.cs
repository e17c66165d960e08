using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Live;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Alerts;

/// <summary>
/// The rider rules of one delivery at one moment — arrival at the warehouse or the customer (timeline), offline,
/// stall and deviation (alerts) — evaluated the same way on each incoming position and by the recurring scan.
/// </summary>
internal sealed class DeliveryRules(TrackingDbContext db, LiveOrderStore store, AlertBook alerts, IOptions<AlertOptions> options)
{
    public async Task EvaluateRiderAsync(LiveOrder order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (order is not { IsActive: true, Status: Orders.Contracts.OrderStatus.Delivering, RiderId: { } riderId, AssignedAt: { } assignedAt })
        {
            return;
        }

        var settings = options.Value;
        var latest = await db.RiderFixes.AsNoTracking().SingleOrDefaultAsync(f => f.RiderId == riderId, cancellationToken);
        var offline = AlertRules.IsOffline(now, latest?.FixTime, assignedAt, settings);
        await ApplyAsync(order, AlertType.Offline, offline ? new AlertFacts(AlertReason.NoPosition, At: latest?.FixTime ?? assignedAt) : null,
            latest?.Location, cancellationToken);
        var run = await Eta.EtaEstimator.RunAsync(db, riderId, cancellationToken);
        if (latest is not null && latest.FixTime >= assignedAt)
        {
            order = await ArrivalsAsync(order, run, latest, now, cancellationToken) ?? order;
        }

        // An anchor fix before the stall period is needed; older than the offline threshold before it, the rider was offline.
        var from = now - settings.StallAfter - settings.OfflineAfter;
        var recent = await Fixes(riderId, from, now, newestFirst: false, int.MaxValue, cancellationToken);
        var stalled = !offline && AlertRules.IsStalled(now, recent, assignedAt, order.WarehouseLocation, order.DeliveryLocation, settings);
        await ApplyAsync(order, AlertType.Stall,
            stalled ? Stall(settings) : null,
            recent.Count > 0 ? recent[^1].Location : null, cancellationToken);

        if (order.ArrivedAtWarehouseAt is { } pickedUp && order.ArrivedAtCustomerAt is null && run.IsRidingTo(order))
        {
            var (start, since) = await LegStartAsync(order, pickedUp, cancellationToken);
            var onThisLeg = (await Fixes(riderId, since, now, newestFirst: true, settings.DeviationFixes, cancellationToken))
                .AsEnumerable().Reverse().ToList();
            var deviation = AlertRules.Deviation(onThisLeg, start, order.DeliveryLocation, settings);
            await ApplyAsync(order, AlertType.Deviation, deviation,
                onThisLeg.Count > 0 ? onThisLeg[^1].Location : null, cancellationToken);
        }
        else if (order.Alerts.Contains(AlertType.Deviation))
        {
            // Arrived at the customer, or riding to someone else first: whatever route it took, it is not off this one.
            await alerts.ResolveAsync(order.OrderId, AlertType.Deviation, null, cancellationToken);
        }
    }

    /// <summary>
    /// Replays the stall and deviation rules over a stretch of fixes that arrived late (an offline batch): a rule that
    /// held at any fix of the stretch raises its alert marked retroactive — unless one is open already. The evaluation of
    /// the present, which follows, resolves it when the condition has since cleared; the timeline keeps both.
    /// </summary>
    public async Task ReplayAsync(LiveOrder order, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (order is not { Status: Orders.Contracts.OrderStatus.Delivering, RiderId: { } riderId, AssignedAt: { } assignedAt })
        {
            return;
        }

        var settings = options.Value;
        var fixes = await Fixes(riderId, from - settings.StallAfter - settings.OfflineAfter, to, newestFirst: false, int.MaxValue, cancellationToken);
        var stretch = fixes.Where(f => f.FixTime >= from && f.FixTime <= to && f.FixTime >= assignedAt).ToList();
        var stalled = stretch.FirstOrDefault(f =>
            AlertRules.IsStalled(f.FixTime, [.. fixes.TakeWhile(p => p.FixTime <= f.FixTime)], assignedAt, order.WarehouseLocation, order.DeliveryLocation, settings));
        if (stalled is not null)
        {
            await alerts.RaiseAsync(order.OrderId, AlertType.Stall, riderId, Stall(settings) with { At = stalled.FixTime },
                stalled.Location, retroactive: true, cancellationToken);
        }

        if (order.ArrivedAtWarehouseAt is { } pickedUp && (await Eta.EtaEstimator.RunAsync(db, riderId, cancellationToken)).IsRidingTo(order))
        {
            var sincePickUp = fixes.Where(f => f.FixTime >= pickedUp).ToList();
            foreach (var fix in stretch.Where(f => f.FixTime >= pickedUp))
            {
                var upTo = sincePickUp.TakeWhile(f => f.FixTime <= fix.FixTime).ToList();
                if (AlertRules.Deviation(upTo, order.WarehouseLocation, order.DeliveryLocation, settings) is { } why)
                {
                    await alerts.RaiseAsync(order.OrderId, AlertType.Deviation, riderId, why with { At = fix.FixTime }, fix.Location,
                        retroactive: true, cancellationToken);
                    break;
                }
            }
        }
    }

    /// <summary>The rider's fixes in a time range, in time order either way, at most <paramref name="take"/> of them.</summary>
    private Task<List<Fix>> Fixes(string riderId, DateTimeOffset from, DateTimeOffset until, bool newestFirst, int take, CancellationToken cancellationToken)
    {
        var range = db.RiderPositions.AsNoTracking().Where(p => p.RiderId == riderId && p.FixTime >= from && p.FixTime <= until);
        var ordered = newestFirst ? range.OrderByDescending(p => p.FixTime) : range.OrderBy(p => p.FixTime);
        return ordered.Take(take).Select(p => new Fix(p.FixTime, p.Latitude, p.Longitude)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Where the ride to the order began, and when: the door of the rider's previous delivery after this order was
    /// collected, else the warehouse at collection.
    /// </summary>
    private async Task<(GeoCoordinate Start, DateTimeOffset Since)> LegStartAsync(LiveOrder order, DateTimeOffset pickedUp, CancellationToken cancellationToken)
    {
        var previous = await db.LiveOrders.AsNoTracking()
            .Where(l => l.RiderId == order.RiderId && l.OrderId != order.OrderId && l.ArrivedAtCustomerAt >= pickedUp)
            .OrderByDescending(l => l.ArrivedAtCustomerAt)
            .Select(l => new { l.DeliveryLocation, l.ArrivedAtCustomerAt })
            .FirstOrDefaultAsync(cancellationToken);
        return previous is { ArrivedAtCustomerAt: { } at } ? (previous.DeliveryLocation, at) : (order.WarehouseLocation, pickedUp);
    }

    /// <summary>
    /// The geofences: entering the arrival radius of the warehouse (collecting the order), then of the customer — only
    /// the door the rider is riding to — goes on the timeline once.
    /// </summary>
    private async Task<LiveOrder?> ArrivalsAsync(LiveOrder order, RiderRun run, RiderFix latest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var radius = options.Value.ArrivalRadiusMeters;
        var atWarehouse = order.ArrivedAtWarehouseAt is null && GeoDistance.Meters(latest.Location, order.WarehouseLocation) <= radius;
        var atCustomer = order.ArrivedAtCustomerAt is null && run.IsRidingTo(order)
            && GeoDistance.Meters(latest.Location, order.DeliveryLocation) <= radius;
        if (!atWarehouse && !atCustomer)
        {
            return null;
        }

        // The entry is the first fix inside the radius, which may be older than the latest by the time this runs.
        var since = order.AssignedAt ?? latest.FixTime;
        var path = await Fixes(order.RiderId!, since, latest.FixTime, newestFirst: false, int.MaxValue, cancellationToken);
        Fix? Entered(GeoCoordinate place) => path.FirstOrDefault(f => GeoDistance.Meters(f.Location, place) <= radius);
        var warehouseEntry = atWarehouse ? Entered(order.WarehouseLocation) : null;
        // At the door only once collected: a pass by it on the way to the warehouse was not an arrival.
        var collected = warehouseEntry?.FixTime ?? order.ArrivedAtWarehouseAt ?? since;
        var customerEntry = atCustomer
            ? path.FirstOrDefault(f => f.FixTime >= collected && GeoDistance.Meters(f.Location, order.DeliveryLocation) <= radius)
            : null;

        return await store.ChangeAsync(order.OrderId, _ => new LiveChange.Arrived(
            warehouseEntry?.Location, warehouseEntry?.FixTime, customerEntry?.Location, customerEntry?.FixTime), cancellationToken);
    }

    private static AlertFacts Stall(AlertOptions settings) =>
        new(AlertReason.Stalled, Meters: (int)Math.Round(settings.StallRadiusMeters), Minutes: (int)Math.Round(settings.StallAfter.TotalMinutes));

    /// <summary>Raises the alert when <paramref name="facts"/> say the rule holds; resolves an open one when they do not.</summary>
    private async Task ApplyAsync(LiveOrder order, AlertType type, AlertFacts? facts, GeoCoordinate? at, CancellationToken cancellationToken)
    {
        if (facts is not null)
        {
            await alerts.RaiseAsync(order.OrderId, type, order.RiderId, facts, at, false, cancellationToken);
        }
        else if (order.Alerts.Contains(type))
        {
            await alerts.ResolveAsync(order.OrderId, type, null, cancellationToken);
        }
    }
}
