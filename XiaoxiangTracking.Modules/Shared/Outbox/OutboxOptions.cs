using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Shared.Outbox;

/// <summary>Bound from the <c>Outbox</c> section.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Safety-net poll for messages whose post-commit signal was missed (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages published per database round trip (default 100).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>After this many failed publications a message is left for an operator (default 10).</summary>
    [Range(1, 1_000)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Published messages are deleted after this long (default 7 days).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan RetainPublishedFor { get; set; } = TimeSpan.FromDays(7);
}
