using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Notifications.Settings;

/// <summary>Webhook deliveries to integrators (bound from <c>Notifications:Webhooks</c>).</summary>
internal sealed class WebhookOptions
{
    public const string SectionName = "Notifications:Webhooks";

    /// <summary>Attempts before a delivery is given up as failed (default 8).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the first retry; each further retry waits twice as long (default 30 s: 30 s, 1 min, 2 min, …).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between two attempts (default 1 hour).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an endpoint has to answer (default 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
