using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Notifications.Settings;

/// <summary>Live pushes to hub clients (bound from <c>Notifications</c>).</summary>
internal sealed class NotificationsOptions
{
    public const string SectionName = "Notifications";

    /// <summary>
    /// Pushes waiting for one connection (default 256). A connection that falls this far behind has further deltas
    /// skipped; it is brought up to date from the delta history or a snapshot once it drains.
    /// </summary>
    [Range(8, 100_000)]
    public int QueueCapacityPerConnection { get; set; } = 256;

    /// <summary>
    /// Recent deltas kept per order for clients that reconnect or resync (default 4: a minute of moves at
    /// one fix per 15 s). A client further behind gets one snapshot instead, which is also fewer messages; every delta
    /// kept costs about 250 bytes per active order.
    /// </summary>
    [Range(1, 10_000)]
    public int DeltaHistory { get; set; } = 4;

    /// <summary>
    /// How often each connection is told the current version of every order it follows (default 30 s), so a client
    /// that silently lost a push notices and resyncs within this interval plus one round trip.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan VersionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the share links behind live connections are checked; a revoked or expired link's connections close within it (default 1 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ShareLinkCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>SignalR keep-alive ping interval (default 15 s); clients should time out after twice this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A client silent for this long is disconnected (default 30 s, twice the keep-alive).</summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan ClientTimeoutInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest message a client may send to the hub (default 4 KB; subscriptions are a few hundred bytes). A larger
    /// one closes the connection.
    /// </summary>
    [Range(1024, 1048576)]
    public long MaxReceiveMessageBytes { get; set; } = 4096;

    /// <summary>Hub method calls a connection may make per second on average (default 10).</summary>
    [Range(1, 1000)]
    public int MaxCallsPerSecond { get; set; } = 10;

    /// <summary>Calls a connection may make at once beyond the average (default 20), e.g. subscribing to a list of orders.</summary>
    [Range(1, 10000)]
    public int CallBurst { get; set; } = 20;
}
