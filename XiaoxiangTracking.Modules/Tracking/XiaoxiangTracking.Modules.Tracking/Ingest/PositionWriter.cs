using XiaoxiangTracking.Modules.Shared.Observability;
using Mediator;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Live;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Ingest;

/// <summary>
/// Fixes of a rider taken between <paramref name="From"/> and <paramref name="To"/> were stored late (an offline batch
/// uploaded after the rules ran in real time), published after their commit.
/// </summary>
internal sealed record LateFixesStored(string RiderId, DateTimeOffset From, DateTimeOffset To) : INotification;

/// <summary>
/// Group commit for rider positions. Requests put their accepted fixes on a bounded queue and wait; one writer drains
/// whatever has gathered (up to <see cref="IngestOptions.MaxPositionsPerCommit"/>), inserts it in one transaction and
/// only then completes each waiting request — so a 2xx reply always follows the commit of its fixes, while many
/// requests share one fsync. A full queue is refused at once (503 + Retry-After), never buffered without bound.
/// </summary>
internal sealed class PositionWriter(
    IServiceScopeFactory scopes,
    IOptions<IngestOptions> options,
    IOptions<AlertOptions> alertOptions,
    LiveMoves moves,
    LatestFixes latest,
    TimeProvider clock,
    ServiceMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<PositionWriter> logger) : BackgroundService
{
    // Replies a pool work item writes: few enough that a large group still spreads over the CPUs.
    private const int AnswersPerWorkItem = 4;

    private readonly Channel<WriteRequest> _queue = Channel.CreateBounded<WriteRequest>(
        new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    // The writer's connection, kept between commits; opened on first use and after a failed commit.
    private PositionStore? _store;
    private int _committing;
    private long _commits;

    // The writer's one reader loop reuses this list for every group.
    private readonly List<WriteRequest> _group = [];
    private readonly CancellationToken _stopping = lifetime.ApplicationStopping;

    /// <summary>Requests waiting for a commit (the ingest backlog).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Requests taken by the writer whose transaction has not finished yet.</summary>
    public int Committing => Volatile.Read(ref _committing);

    /// <summary>
    /// Stores the fixes durably; the result says, per fix, whether it was new (true) or already stored (false).
    /// </summary>
    public Task<bool[]> WriteAsync(IReadOnlyList<RiderPosition> positions, CancellationToken cancellationToken)
    {
        if (positions.Count == 0)
        {
            return Task.FromResult(Array.Empty<bool>());
        }

        var request = new WriteRequest(positions);
        if (!_queue.Writer.TryWrite(request))
        {
            throw new ServiceUnavailableException(
                _queue.Reader.Completion.IsCompleted || _stopping.IsCancellationRequested
                    ? "The server is shutting down; retry."
                    : "The position queue is full; retry shortly.",
                options.Value.RetryAfter);
        }

        // The caller may stop waiting, but the write itself is not withdrawn: it either commits or fails as a whole.
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        WriterThread.RunAsync("Position writer", () => WriteAsync(stoppingToken));

    private async Task WriteAsync(CancellationToken stoppingToken)
    {
        metrics.BeforeScrape(_ =>
        {
            metrics.IngestQueueDepth.Set(QueueDepth);
            return Task.CompletedTask;
        });
        var loading = Task.Run(() => LoadLatestFixesAsync(stoppingToken), CancellationToken.None);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await CommitNextGroupAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: new reports are refused from here on (503), and what is queued is committed below.
        }

        // Drain: every request already queued is waiting for its answer; commit it rather than turn it away. A commit
        // is never cancelled half-way, so a report either is acknowledged after its commit or was never stored.
        _queue.Writer.TryComplete();
        while (_queue.Reader.Count > 0)
        {
            await CommitNextGroupAsync();
        }

        await CloseStoreAsync();
        await loading;
        logger.LogInformation("Position writer stopped with its queue drained");
    }

    private async Task CommitNextGroupAsync()
    {
        var group = _group;
        group.Clear();
        var count = 0;
        while (count < options.Value.MaxPositionsPerCommit && _queue.Reader.TryRead(out var request))
        {
            group.Add(request);
            count += request.Positions.Count;
        }

        if (group.Count == 0)
        {
            return;
        }

        Volatile.Write(ref _committing, group.Count);
        var started = clock.GetTimestamp();
        await CommitAsync(group, CancellationToken.None);
        metrics.CommitDuration.Observe(clock.GetElapsedTime(started).TotalSeconds);
        metrics.CommitBatchSize.Observe(count);
        Volatile.Write(ref _committing, 0);
        if (++_commits % 1024 == 0)
        {
            latest.Prune(clock.GetUtcNow());
        }
    }

    private async Task CommitAsync(List<WriteRequest> group, CancellationToken cancellationToken)
    {
        try
        {
            var store = _store ??= await PositionStore.OpenAsync(scopes, moves, cancellationToken);
            await using var transaction = await store.BeginAsync(cancellationToken);
            var newestPerRider = new Dictionary<string, RiderPosition>(StringComparer.Ordinal);
            var latePerRider = new Dictionary<string, (DateTimeOffset From, DateTimeOffset To)>(StringComparer.Ordinal);
            // A fix stored this long after it was taken was not there when the rules ran in real time.
            var lateBefore = clock.GetUtcNow() - alertOptions.Value.OfflineAfter;
            for (var r = 0; r < group.Count; r++)
            {
                var (positions, stored) = (group[r].Positions, group[r].Stored);
                for (var i = 0; i < positions.Count; i++)
                {
                    if (stored[i] = await store.Insert.ExecuteAsync(positions[i], cancellationToken))
                    {
                        var position = positions[i];
                        if (!newestPerRider.TryGetValue(position.RiderId, out var newest) || position.FixTime > newest.FixTime)
                        {
                            newestPerRider[position.RiderId] = position;
                        }

                        if (position.FixTime < lateBefore)
                        {
                            latePerRider[position.RiderId] = latePerRider.TryGetValue(position.RiderId, out var late)
                                ? (Min(late.From, position.FixTime), Max(late.To, position.FixTime))
                                : (position.FixTime, position.FixTime);
                        }
                    }
                }
            }

            var now = clock.GetUtcNow();
            foreach (var position in newestPerRider.Values)
            {
                await store.Live.MoveAsync(position, now, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            foreach (var position in newestPerRider.Values)
            {
                latest.Committed(position.RiderId, position.Point);
            }

            Answer(group, failed: null);

            await store.Live.CommittedAsync();
            if (latePerRider.Count > 0)
            {
                await PublishLateAsync(latePerRider);
            }
        }
        catch (Exception ex)
        {
            _store?.Live.RolledBack();
            logger.LogError(ex, "Committing {Requests} position request(s) failed; none of them is stored", group.Count);
            // The connection may be what failed: the next commit opens a new one.
            await CloseStoreAsync();

            // Nothing of the group is stored, whatever failed (a database busy past its timeout, a lost connection, the
            // server stopping): each request is answered 503 + Retry-After, and a retry stores it once.
            var message = ex is OperationCanceledException
                ? "The server is shutting down; retry."
                : "The positions could not be stored just now; retry.";
            Answer(group, new ServiceUnavailableException(message, options.Value.RetryAfter, ex));
        }
    }

    /// <summary>
    /// The riders' latest fixes for the filters, read beside the first commits: reports are taken meanwhile, and a rider
    /// not loaded yet is read from the database as before.
    /// </summary>
    private async Task LoadLatestFixesAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await latest.LoadAsync(scope.ServiceProvider.GetRequiredService<TrackingDbContext>(), clock.GetUtcNow(), stoppingToken);
            logger.LogInformation("Holding the latest fixes of {Riders} rider(s) for the position filters", latest.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before the load finished.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Loading the riders' latest fixes failed; each rider's first report reads its own");
        }
    }

    /// <summary>Says which riders' fixes arrived late, so that what watches the riders replays them; a failure is only logged.</summary>
    private async Task PublishLateAsync(Dictionary<string, (DateTimeOffset From, DateTimeOffset To)> latePerRider)
    {
        await using var scope = scopes.CreateAsyncScope();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublisher>();
        foreach (var (riderId, (from, to)) in latePerRider)
        {
            try
            {
                await publisher.Publish(new LateFixesStored(riderId, from, to), CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Publishing the late fixes of rider {RiderId} failed", riderId);
            }
        }
    }

    private async Task CloseStoreAsync()
    {
        if (_store is { } store)
        {
            _store = null;
            await store.DisposeAsync();
        }
    }

    /// <summary>
    /// Answers the group's requests on the thread pool, <see cref="AnswersPerWorkItem"/> to a work item, each request's
    /// reply written by the pool thread that completes it: one work item and wake-up for a few replies instead of one
    /// for each, and none on the writer's thread, whose next commit does not wait for replies being written.
    /// </summary>
    private static void Answer(List<WriteRequest> group, Exception? failed)
    {
        var requests = CollectionsMarshal.AsSpan(group);
        for (var start = 0; start < requests.Length; start += AnswersPerWorkItem)
        {
            var answers = requests.Slice(start, Math.Min(AnswersPerWorkItem, requests.Length - start)).ToArray();
            ThreadPool.UnsafeQueueUserWorkItem(new Answers(answers, failed), preferLocal: false);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed record WriteRequest(IReadOnlyList<RiderPosition> Positions)
    {
        /// <summary>Completed only by <see cref="Answers"/>, so the waiting request runs on in a pool thread.</summary>
        public TaskCompletionSource<bool[]> Completion { get; } = new();

        /// <summary>Per fix, whether the commit stored it (false: already stored); set by the writer before the commit.</summary>
        public bool[] Stored { get; } = new bool[Positions.Count];
    }

    /// <summary>A few requests of a finished commit, answered in order on one pool thread.</summary>
    private sealed class Answers(WriteRequest[] requests, Exception? failed) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            foreach (var request in requests)
            {
                if (failed is null)
                {
                    request.Completion.TrySetResult(request.Stored);
                }
                else
                {
                    request.Completion.TrySetException(failed);
                }
            }
        }
    }
}
