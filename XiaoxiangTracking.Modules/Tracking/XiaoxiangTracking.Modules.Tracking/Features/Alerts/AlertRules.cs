using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Alerts;

/// <summary>A fix as the rules read it.</summary>
internal sealed record Fix(DateTimeOffset FixTime, double Latitude, double Longitude)
{
    public GeoCoordinate Location => new(Latitude, Longitude);
}

/// <summary>The alert rules as plain functions of what is known about a delivery at a moment.</summary>
internal static class AlertRules
{
    /// <summary>
    /// Offline: no fix for longer than the threshold — counted from the rider's latest fix, or from the assignment when
    /// that is later (a rider is not offline for the time before they had the order).
    /// </summary>
    public static bool IsOffline(DateTimeOffset now, DateTimeOffset? latestFix, DateTimeOffset assignedAt, AlertOptions options)
    {
        var since = latestFix is { } fix && fix > assignedAt ? fix : assignedAt;
        return now - since > options.OfflineAfter;
    }

    /// <summary>
    /// Stalled: the rider has stayed within the stall radius of one spot for the whole stall period — judged from the
    /// last fix at or before the period's start (the anchor) and every fix since — and that spot is not where waiting is
    /// expected (the warehouse, the customer). Needs the anchor and at least one fix after it inside the period; a
    /// rider who stopped reporting is offline, not stalled.
    /// </summary>
    public static bool IsStalled(
        DateTimeOffset now,
        IReadOnlyList<Fix> fixesOldestFirst,
        DateTimeOffset assignedAt,
        GeoCoordinate warehouse,
        GeoCoordinate customer,
        AlertOptions options)
    {
        var start = now - options.StallAfter;
        if (assignedAt > start)
        {
            return false;
        }

        var anchor = fixesOldestFirst.LastOrDefault(f => f.FixTime <= start);
        var since = fixesOldestFirst.Where(f => f.FixTime > start && f.FixTime <= now).ToList();
        if (anchor is null || since.Count == 0)
        {
            return false;
        }

        if (GeoDistance.Meters(anchor.Location, warehouse) <= options.ArrivalRadiusMeters
            || GeoDistance.Meters(anchor.Location, customer) <= options.ArrivalRadiusMeters)
        {
            return false;
        }

        return since.All(f => GeoDistance.Meters(anchor.Location, f.Location) < options.StallRadiusMeters);
    }

    /// <summary>
    /// Off route: after pick-up, the last <see cref="AlertOptions.DeviationFixes"/> fixes are all farther than
    /// <see cref="AlertOptions.DeviationMeters"/> from the warehouse → customer corridor, or each is farther from the
    /// customer than the one before and together they took the rider <see cref="AlertOptions.MovingAwayMeters"/> away.
    /// Returns why, or null when the rider is on route.
    /// </summary>
    public static AlertFacts? Deviation(IReadOnlyList<Fix> fixesSincePickUpOldestFirst, GeoCoordinate warehouse, GeoCoordinate customer, AlertOptions options)
    {
        if (fixesSincePickUpOldestFirst.Count < options.DeviationFixes)
        {
            return null;
        }

        var last = fixesSincePickUpOldestFirst.Skip(fixesSincePickUpOldestFirst.Count - options.DeviationFixes).ToList();
        var offRoute = last.Select(f => GeoDistance.ToSegmentMeters(f.Location, warehouse, customer)).ToList();
        if (offRoute.All(d => d > options.DeviationMeters))
        {
            return new AlertFacts(AlertReason.OffRoute, Meters: (int)Math.Round(offRoute[^1]), Fixes: last.Count);
        }

        var toCustomer = last.Select(f => GeoDistance.Meters(f.Location, customer)).ToList();
        var fartherEachTime = toCustomer.Zip(toCustomer.Skip(1)).All(pair => pair.Second > pair.First);
        if (fartherEachTime && toCustomer[^1] - toCustomer[0] >= options.MovingAwayMeters)
        {
            return new AlertFacts(AlertReason.MovingAway, Meters: (int)Math.Round(toCustomer[^1] - toCustomer[0]), Fixes: last.Count);
        }

        return null;
    }
}
