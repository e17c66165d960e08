using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Tracking.Settings;

/// <summary>When a delivery raises an alert (bound from <c>Tracking:Alerts</c>).</summary>
internal sealed class AlertOptions
{
    public const string SectionName = "Tracking:Alerts";

    /// <summary>Cron schedule of the alert scan, the safety net that evaluates every rule (default every minute).</summary>
    [Required]
    public string ScanCron { get; set; } = "* * * * *";

    /// <summary>A delivering rider with no position for this long is offline (default 90 s: six missed 15-s reports).</summary>
    [Range(typeof(TimeSpan), "00:00:15", "01:00:00")]
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>A delivering rider who stays within <see cref="StallRadiusMeters"/> for this long has stalled (default 5 min).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Movement below this distance does not count as moving (default 50 m, GPS noise included).</summary>
    [Range(5, 1_000)]
    public double StallRadiusMeters { get; set; } = 50;

    /// <summary>
    /// Within this distance of the warehouse or the customer a rider is expected to wait (pick-up, hand-over), so no
    /// stall is raised there (default 100 m).
    /// </summary>
    [Range(10, 2_000)]
    public double ArrivalRadiusMeters { get; set; } = 100;

    /// <summary>
    /// A rider farther than this from the straight warehouse → customer corridor is off route (default 500 m: city
    /// streets wind, a corridor does not).
    /// </summary>
    [Range(50, 10_000)]
    public double DeviationMeters { get; set; } = 500;

    /// <summary>
    /// Consecutive fixes that must be off route — or each farther from the customer than the one before — before a
    /// deviation is raised (default 3, 45 s of reports), so a single bad fix or a detour around a block does not.
    /// </summary>
    [Range(2, 50)]
    public int DeviationFixes { get; set; } = 3;

    /// <summary>How much farther from the customer those fixes must have taken the rider to count as moving away (default 200 m).</summary>
    [Range(10, 10_000)]
    public double MovingAwayMeters { get; set; } = 200;

    /// <summary>Positions waiting to be evaluated against the rules as they arrive (default 10,000); beyond that the scan catches up.</summary>
    [Range(100, 1_000_000)]
    public int EvaluationQueueCapacity { get; set; } = 10_000;

    /// <summary>How long before the promised time the timeout warning is raised (default 5 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "02:00:00")]
    public TimeSpan TimeoutWarningBefore { get; set; } = TimeSpan.FromMinutes(5);
}
