using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Eta;

/// <summary>A speed to estimate with, and the slow and fast ends of what is likely.</summary>
internal sealed record RideSpeed(double Typical, double Slow, double Fast, bool Learned);

/// <summary>The ETA as plain functions: learn a speed from past rides, turn the remaining distance into an arrival range.</summary>
internal static class EtaModel
{
    private const double SlowQuantile = 0.2;
    private const double FastQuantile = 0.8;

    /// <summary>
    /// The speed of past rides (distance-weighted: total metres over total seconds) with its 20th and 80th percentile
    /// as the slow and fast ends; the default speed ± the default spread when there are too few rides.
    /// </summary>
    public static RideSpeed Learn(IReadOnlyList<(double Meters, double Seconds)> rides, EtaOptions options)
    {
        var usable = rides.Where(r => r.Meters > 0 && r.Seconds > 0).ToList();
        if (usable.Count < options.MinSamples)
        {
            var speed = options.DefaultSpeedMetersPerSecond;
            return new RideSpeed(speed, speed / (1 + options.DefaultSpread), speed / Math.Max(0.05, 1 - options.DefaultSpread), false);
        }

        var speeds = usable.Select(r => r.Meters / r.Seconds).Order().ToList();
        var typical = usable.Sum(r => r.Meters) / usable.Sum(r => r.Seconds);
        return new RideSpeed(typical, Math.Min(typical, Quantile(speeds, SlowQuantile)), Math.Max(typical, Quantile(speeds, FastQuantile)), true);
    }

    /// <summary>How far ahead of now the expected arrival always is while the order is on its way ("within a minute").</summary>
    public static readonly TimeSpan MinimumLead = TimeSpan.FromMinutes(1);

    /// <summary>The arrival range for the distance left at the speed, as computed (<see cref="Bound"/> makes it what is shown).</summary>
    public static LiveEta Estimate(double remainingMeters, RideSpeed speed, DateTimeOffset now) => new(
        now + TimeSpan.FromSeconds(remainingMeters / speed.Typical),
        now + TimeSpan.FromSeconds(remainingMeters / speed.Fast),
        now + TimeSpan.FromSeconds(remainingMeters / speed.Slow),
        speed.Learned);

    /// <summary>
    /// An estimate as customers are shown it, whatever it was computed from: each time rounded up to
    /// <paramref name="resolution"/>, the precision it is shown in — or, when the new time is within a quarter of that
    /// of what <paramref name="shown"/> says, left as shown, so a rider riding on a rounding edge does not make the
    /// screen flicker; then the expected arrival at least <see cref="MinimumLead"/> after <paramref name="now"/> (an
    /// order not yet delivered is never due in the past), the earliest not before now, the latest at least a
    /// resolution after the expected arrival (a range never collapses to a point).
    /// </summary>
    public static LiveEta Bound(LiveEta estimate, DateTimeOffset now, TimeSpan resolution, LiveEta? shown = null)
    {
        var slack = resolution / 4;
        DateTimeOffset Round(DateTimeOffset computed, DateTimeOffset? before) =>
            before is { } was && computed > was - resolution - slack && computed <= was + slack ? was : Up(computed, resolution);

        var expected = Max(Round(estimate.EstimatedAt, shown?.EstimatedAt), Up(now + MinimumLead, resolution));
        var earliest = Min(Max(Round(estimate.Earliest, shown?.Earliest), Up(now, resolution)), expected);
        var latest = Max(Round(estimate.Latest, shown?.Latest), expected + resolution);
        return estimate with { EstimatedAt = expected, Earliest = earliest, Latest = latest };
    }

    private static DateTimeOffset Up(DateTimeOffset at, TimeSpan resolution)
    {
        var ticks = at.UtcTicks + resolution.Ticks - 1;
        return new DateTimeOffset(ticks - (ticks % resolution.Ticks), TimeSpan.Zero);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static double Quantile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(sorted.Count - 1, lower + 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
