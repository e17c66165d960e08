using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Tracking.Settings;

/// <summary>How dispatch chooses a rider for an order handed over without one (bound from <c>Tracking:Dispatch</c>).</summary>
internal sealed class DispatchOptions
{
    public const string SectionName = "Tracking:Dispatch";

    /// <summary>A rider is available only with a fix at most this old (default 2 minutes: eight missed 15-second reports).</summary>
    [Range(typeof(TimeSpan), "00:00:15", "01:00:00")]
    public TimeSpan PositionFreshness { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Farthest a rider may be from the warehouse to be chosen (default 5,000 m).</summary>
    [Range(50, 50_000)]
    public double MaxDistanceMeters { get; set; } = 5_000;

    /// <summary>A rider already delivering this many orders is not given another (default 3).</summary>
    [Range(1, 20)]
    public int MaxActiveOrdersPerRider { get; set; } = 3;

    /// <summary>
    /// Each order a rider is already delivering counts as this much extra distance when ranking riders (default 1,000 m),
    /// so an idle rider a little farther away is preferred to a busy one at the door; 0 ranks by distance alone.
    /// </summary>
    [Range(0, 50_000)]
    public double ActiveOrderPenaltyMeters { get; set; } = 1_000;

    /// <summary>How often orders still waiting for a rider are tried again (default 15 s, the riders' reporting interval).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(15);
}
