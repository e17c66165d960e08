using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Tracking.Settings;

/// <summary>
/// Thresholds of the position filters (bound from <c>Tracking:Filters</c>); the defaults suit e-bike riders reporting
/// every 15 s from phones, and follow Traccar's filter set (invalid, zero, future, accuracy, max speed, duplicate).
/// </summary>
internal sealed class PositionFilterOptions
{
    public const string SectionName = "Tracking:Filters";

    /// <summary>A fix stamped further ahead of the server clock than this is rejected (default 2 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A fix older than this is rejected; it bounds how long an offline buffer may be (default 24 h).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A fix whose reported accuracy radius is larger than this many metres is rejected (default 100 m).</summary>
    [Range(1, 10_000)]
    public double MaxAccuracyMeters { get; set; } = 100;

    /// <summary>
    /// Implied speed between a fix and the rider's previous accepted fix above this is a GPS jump, not a ride
    /// (default 20 m/s = 72 km/h; e-bikes do about 7 m/s).
    /// </summary>
    [Range(1, 1_000)]
    public double MaxSpeedMetersPerSecond { get; set; } = 20;

    /// <summary>
    /// Below this distance the speed check is skipped: GPS noise between fixes a second apart would otherwise look
    /// fast (default 50 m).
    /// </summary>
    [Range(0, 10_000)]
    public double SpeedCheckMinDistanceMeters { get; set; } = 50;
}
