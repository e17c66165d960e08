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

    /// <summary>Recent deltas kept per order for clients that reconnect or resync (default 100).</summary>
    [Range(1, 10_000)]
    public int DeltaHistory { get; set; } = 100;

    /// <summary>
    /// How often each connection is told the current version of every order it follows (default 30 s), so a client
    /// that silently lost a push notices and resyncs within this interval plus one round trip.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan VersionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SignalR keep-alive ping interval (default 15 s); clients should time out after twice this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A client silent for this long is disconnected (default 30 s, twice the keep-alive).</summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan ClientTimeoutInterval { get; set; } = TimeSpan.FromSeconds(30);
}
