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

    public static LiveEta Estimate(double remainingMeters, RideSpeed speed, DateTimeOffset now) => new(
        now + TimeSpan.FromSeconds(remainingMeters / speed.Typical),
        now + TimeSpan.FromSeconds(remainingMeters / speed.Fast),
        now + TimeSpan.FromSeconds(remainingMeters / speed.Slow),
        speed.Learned);

    private static double Quantile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(sorted.Count - 1, lower + 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
