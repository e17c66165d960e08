using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Tracking.Settings;

/// <summary>How arrival times are estimated (bound from <c>Tracking:Eta</c>).</summary>
internal sealed class EtaOptions
{
    public const string SectionName = "Tracking:Eta";

    /// <summary>
    /// Straight-line speed assumed without enough history (default 4 m/s: an e-bike at about 20 km/h on streets that
    /// wind 1.3 times the straight distance).
    /// </summary>
    [Range(0.5, 30)]
    public double DefaultSpeedMetersPerSecond { get; set; } = 4;

    /// <summary>Past deliveries in an area and hour needed before their speed is trusted over the default (default 5).</summary>
    [Range(1, 1_000)]
    public int MinSamples { get; set; } = 5;

    /// <summary>How many of the latest deliveries in an area and hour are learned from (default 50).</summary>
    [Range(5, 10_000)]
    public int MaxSamples { get; set; } = 50;

    /// <summary>Geohash characters that make an "area" (default 5: cells of about 5 km × 5 km).</summary>
    [Range(3, 7)]
    public int AreaPrecision { get; set; } = 5;

    /// <summary>The local time of the service area, for "hour of day" (default +08:00, China Standard Time, no daylight saving).</summary>
    [Range(typeof(TimeSpan), "-14:00:00", "14:00:00")]
    public TimeSpan LocalUtcOffset { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// The precision estimates are kept and shown in: times are rounded up to it, so an estimate changes (and is pushed)
    /// only when what is shown changes (default 1 min).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan Resolution { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often estimates about to fall due are made again without a new position (a rider who stopped, a warehouse
    /// still picking), so none is ever in the past (default 15 s; shorter than the minute an estimate is always ahead).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:59")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Picking time per item without enough history at the warehouse (default 45 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan DefaultPickingPerItem { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Wait from hand-over to a rider's assignment without enough history at the warehouse (default 2 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DefaultAssignmentWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The likely range without history: ± this share of the estimated ride (default 0.25).</summary>
    [Range(0.0, 2.0)]
    public double DefaultSpread { get; set; } = 0.25;
}
