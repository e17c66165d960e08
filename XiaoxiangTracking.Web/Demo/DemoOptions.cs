using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Web.Demo;

/// <summary>
/// The demo city (section <c>Demo</c>): warehouses in Shanghai, riders and customers that use the public API and the
/// hub like the real apps. Runs only in Development, where tokens for them can be had; off with <c>Enabled=false</c>.
/// </summary>
internal sealed class DemoOptions
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; } = true;

    /// <summary>The API's address for the simulated apps; by default the host's own first address.</summary>
    public string? ApiBaseAddress { get; set; }

    /// <summary>WebSockets, ServerSentEvents or LongPolling for the riders' hub connections.</summary>
    public string HubTransport { get; set; } = "WebSockets";

    [Range(1, 500)]
    public int Riders { get; set; } = 12;

    /// <summary>
    /// Customers order no faster than the riders deliver: a new order is placed only while fewer than this many per
    /// rider are being picked or delivered (default 1), so the city settles into a steady state instead of a backlog.
    /// </summary>
    [Range(0.1, 5)]
    public double ActiveOrdersPerRider { get; set; } = 1;

    /// <summary>A new order is placed and paid this often (default 20 s) while the riders have room for it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OrderInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Riders report this often (the apps' 15 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Each warehouse stage takes this long (Received → Picking → Packed → HandedOver).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan StageDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>E-bike speed in m/s (default 5, 18 km/h).</summary>
    [Range(1, 15)]
    public double SpeedMetersPerSecond { get; set; } = 5;

    /// <summary>Customers live this far from their warehouse at most (default 3 km).</summary>
    [Range(100, 10000)]
    public double CustomerRadiusMeters { get; set; } = 3000;

    /// <summary>GPS noise, standard deviation in metres (default 6).</summary>
    [Range(0, 50)]
    public double GpsNoiseMeters { get; set; } = 6;

    /// <summary>Of deliveries: the share where the rider loses signal for a while and uploads the buffer (default 10 %).</summary>
    [Range(0, 1)]
    public double OfflineShare { get; set; } = 0.1;

    /// <summary>Of deliveries: the share where the rider stops for six minutes on the way (default 5 %).</summary>
    [Range(0, 1)]
    public double StallShare { get; set; } = 0.05;

    /// <summary>Of deliveries: the share where the rider takes a long detour (default 5 %).</summary>
    [Range(0, 1)]
    public double DetourShare { get; set; } = 0.05;

    /// <summary>Random seed, for a repeatable city.</summary>
    public int Seed { get; set; } = 20261125;
}
