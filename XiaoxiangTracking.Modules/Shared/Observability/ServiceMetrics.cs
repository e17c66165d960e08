using Prometheus;

namespace XiaoxiangTracking.Modules.Shared.Observability;

/// <summary>
/// The service's Prometheus metrics, in a registry of this host's own (served at <c>/metrics</c>). The names are
/// contract: deploy/grafana-dashboard.json and docs/operations.md use exactly these.
/// </summary>
public sealed class ServiceMetrics
{
    public const string HubConnectionsName = "xiaoxiang_hub_connections";
    public const string PushesName = "xiaoxiang_hub_messages_pushed_total";
    public const string IngestQueueDepthName = "xiaoxiang_ingest_queue_depth";
    public const string CommitBatchSizeName = "xiaoxiang_ingest_commit_batch_positions";
    public const string CommitDurationName = "xiaoxiang_ingest_commit_duration_seconds";
    public const string IngestToPushName = "xiaoxiang_ingest_to_push_seconds";
    public const string AlertsOpenName = "xiaoxiang_alerts_open";
    public const string OutboxLagName = "xiaoxiang_outbox_lag_seconds";
    public const string JobFailuresName = "xiaoxiang_job_failures_total";
    public const string LiveCacheLookupsName = "xiaoxiang_live_cache_lookups_total";
    public const string ThreadPoolThreadsName = "xiaoxiang_threadpool_threads";
    public const string ThreadPoolQueueName = "xiaoxiang_threadpool_queue_length";
    public const string GcPauseName = "xiaoxiang_gc_pause_seconds_total";
    public const string GcAllocatedName = "xiaoxiang_gc_allocated_bytes_total";

    public ServiceMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var metrics = Metrics.WithCustomRegistry(Registry);
        HubConnections = metrics.CreateGauge(HubConnectionsName, "Open SignalR connections to the tracking hub, by transport.", "transport");
        // Pushes and their latency are recorded by each connection's pump, outside any request's trace: no exemplars (the
        // default reads the current trace on every count, and would name the request that opened the connection).
        Pushes = metrics.CreateCounter(PushesName, "Messages pushed to hub clients, by message (OrderUpdated, OrderRemoved, Versions).",
            new CounterConfiguration { LabelNames = ["message"], ExemplarBehavior = ExemplarBehavior.NoExemplars() });
        IngestQueueDepth = metrics.CreateGauge(IngestQueueDepthName, "Position requests waiting for the group-commit writer (the backlog).");
        CommitBatchSize = metrics.CreateHistogram(CommitBatchSizeName, "Positions written per group commit.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 11) });
        CommitDuration = metrics.CreateHistogram(CommitDurationName, "Duration of one group commit (insert, live state, commit).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });
        IngestToPush = metrics.CreateHistogram(IngestToPushName, "From a position report's arrival to its push to a hub client.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16), ExemplarBehavior = ExemplarBehavior.NoExemplars() });
        AlertsOpen = metrics.CreateGauge(AlertsOpenName, "Alerts not resolved, by type.", "type");
        OutboxLag = metrics.CreateGauge(OutboxLagName, "Age of the oldest unpublished outbox message, by module (0 when none).", "module");
        JobFailures = metrics.CreateCounter(JobFailuresName, "Background job executions that failed, by job.", "job");
        LiveCacheLookups = metrics.CreateCounter(LiveCacheLookupsName, "Live-state reads, by result (hit: from the cache, miss: from the database).", "result");

        // The runtime: prometheus-net's process and GC collections (dotnet_*, process_*), and what the runtime itself
        // counts of its thread pool, GC pauses and allocations, read at each scrape.
        DotNetStats.Register(Registry);
        var threads = metrics.CreateGauge(ThreadPoolThreadsName, "Thread-pool threads.");
        var queue = metrics.CreateGauge(ThreadPoolQueueName, "Work items queued to the thread pool, not yet started.");
        var pauses = metrics.CreateCounter(GcPauseName, "Time the process has spent paused by the garbage collector.");
        var allocated = metrics.CreateCounter(GcAllocatedName, "Bytes allocated on the managed heap since the process started.");
        Registry.AddBeforeCollectCallback(() =>
        {
            threads.Set(ThreadPool.ThreadCount);
            queue.Set(ThreadPool.PendingWorkItemCount);
            pauses.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
        });
    }

    public CollectorRegistry Registry { get; }

    public Gauge HubConnections { get; }

    public Counter Pushes { get; }

    public Gauge IngestQueueDepth { get; }

    public Histogram CommitBatchSize { get; }

    public Histogram CommitDuration { get; }

    public Histogram IngestToPush { get; }

    public Gauge AlertsOpen { get; }

    public Gauge OutboxLag { get; }

    public Counter JobFailures { get; }

    public Counter LiveCacheLookups { get; }

    /// <summary>Every metric name, for checks that dashboards and docs use exactly these.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        HubConnectionsName, PushesName, IngestQueueDepthName, CommitBatchSizeName, CommitDurationName, IngestToPushName,
        AlertsOpenName, OutboxLagName, JobFailuresName, LiveCacheLookupsName, ThreadPoolThreadsName, ThreadPoolQueueName,
        GcPauseName, GcAllocatedName,
    ];

    /// <summary>Runs <paramref name="update"/> before every scrape (gauges read from the database or a queue).</summary>
    public void BeforeScrape(Func<CancellationToken, Task> update) => Registry.AddBeforeCollectCallback(update);
}
