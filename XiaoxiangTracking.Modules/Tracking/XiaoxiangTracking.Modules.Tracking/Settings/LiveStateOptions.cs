using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Tracking.Settings;

/// <summary>The cache of orders' live state (bound from <c>Tracking:LiveState</c>).</summary>
internal sealed class LiveStateOptions
{
    public const string SectionName = "Tracking:LiveState";

    /// <summary>How long an order's live state stays cached after its last change (default 1 hour, the seed's window of active orders).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromHours(1);
}
