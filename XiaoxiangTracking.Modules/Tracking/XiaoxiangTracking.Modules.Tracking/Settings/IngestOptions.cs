using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Tracking.Settings;

/// <summary>Limits of the position ingestion path (bound from <c>Tracking:Ingest</c>).</summary>
internal sealed class IngestOptions
{
    public const string SectionName = "Tracking:Ingest";

    /// <summary>Most positions in one batch upload from a rider's offline buffer (default 500).</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>
    /// Requests waiting for the group-commit writer. When full, new reports get 503 + Retry-After instead of queueing
    /// without bound (default 10,000).
    /// </summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Most positions committed in one transaction (default 1,000).</summary>
    [Range(1, 100_000)]
    public int MaxPositionsPerCommit { get; set; } = 1_000;

    /// <summary>What a 503 asks the client to wait before retrying (default 1 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
