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

    /// <summary>How long before the promised time the timeout warning is raised (default 5 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "02:00:00")]
    public TimeSpan TimeoutWarningBefore { get; set; } = TimeSpan.FromMinutes(5);
}
