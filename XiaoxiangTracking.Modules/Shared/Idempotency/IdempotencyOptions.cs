using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Shared.Idempotency;

/// <summary>Bound from the <c>Idempotency</c> section.</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const int MaxKeyLength = 100;

    /// <summary>How long a key is remembered; a retry after that runs as a new request (default 24 h).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan RetainFor { get; set; } = TimeSpan.FromHours(24);
}
