using System.Collections.Concurrent;
using System.Threading.Channels;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Features.Eta;
using XiaoxiangTracking.Modules.Tracking.Ingest;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Alerts;

/// <summary>What the move evaluator is asked to look at.</summary>
internal abstract record Evaluation
{
    /// <summary>The order's rider moved (or changed): evaluate the rules now and refresh the ETA.</summary>
    public sealed record OrderMoved(string OrderId) : Evaluation;

    /// <summary>Fixes taken between <paramref name="From"/> and <paramref name="To"/> arrived late (an offline batch): replay the rules over them.</summary>
    public sealed record Backfilled(string RiderId, DateTimeOffset From, DateTimeOffset To) : Evaluation;
}

/// <summary>
/// Work for the move evaluator. Bounded: when it is full an evaluation is not queued (the recurring scan evaluates
/// every order anyway), so rule evaluation never holds up ingestion.
/// </summary>
internal sealed class MoveEvaluationQueue(IOptions<AlertOptions> options)
{
    private readonly Channel<Evaluation> _work = Channel.CreateBounded<Evaluation>(new BoundedChannelOptions(options.Value.EvaluationQueueCapacity)
    {
        SingleReader = true,
        // TryWrite never waits: it refuses when full (where DropWrite would drop and still report success).
        FullMode = BoundedChannelFullMode.Wait,
    });

    // Orders queued and not yet taken: a move of an order already waiting adds nothing, as its evaluation will read
    // the newest fix anyway — so under load the queue holds each moving order once, not once per report.
    private readonly ConcurrentDictionary<string, byte> _waiting = new(StringComparer.Ordinal);
    private int _unfinished;

    public ChannelReader<Evaluation> Reader => _work.Reader;

    /// <summary>Evaluations queued and not yet finished: 0 when the evaluator has caught up with every move.</summary>
    public int Unfinished => Volatile.Read(ref _unfinished);

    public void Queue(string orderId)
    {
        if (!_waiting.TryAdd(orderId, 0))
        {
            return;
        }

        Interlocked.Increment(ref _unfinished);
        if (!_work.Writer.TryWrite(new Evaluation.OrderMoved(orderId)))
        {
            _waiting.TryRemove(orderId, out _);
            Interlocked.Decrement(ref _unfinished);
        }
    }

    /// <summary>The evaluator finished one evaluation (whatever its outcome).</summary>
    public void Finished() => Interlocked.Decrement(ref _unfinished);

    /// <summary>The evaluator took the order's evaluation: a move from now on queues it again.</summary>
    public void Taken(Evaluation.OrderMoved moved) => _waiting.TryRemove(moved.OrderId, out _);

    public void QueueBackfill(string riderId, DateTimeOffset from, DateTimeOffset to)
    {
        Interlocked.Increment(ref _unfinished);
        if (!_work.Writer.TryWrite(new Evaluation.Backfilled(riderId, from, to)))
        {
            Interlocked.Decrement(ref _unfinished);
        }
    }
}

/// <summary>Queues every order whose rider moved or changed, and every late upload, for evaluation (in memory, without waiting).</summary>
internal sealed class QueueMoveEvaluation(MoveEvaluationQueue queue) : INotificationHandler<OrderTrackingChanged>, INotificationHandler<LateFixesStored>
{
    public ValueTask Handle(LateFixesStored notification, CancellationToken cancellationToken)
    {
        queue.QueueBackfill(notification.RiderId, notification.From, notification.To);
        return ValueTask.CompletedTask;
    }

    public ValueTask Handle(OrderTrackingChanged notification, CancellationToken cancellationToken)
    {
        if (notification.Position is not null || notification.RiderId is not null)
        {
            queue.Queue(notification.OrderId);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Evaluates the rider rules as positions arrive (arrival, offline, stall, deviation), so alerts are not a scan interval
/// late — the scan remains the safety net for what this misses — and refreshes the order's ETA.
/// </summary>
internal sealed class MoveEvaluator(
    MoveEvaluationQueue queue, IServiceScopeFactory scopes, TimeProvider clock, ILogger<MoveEvaluator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (work is Evaluation.OrderMoved taken)
                {
                    queue.Taken(taken);
                }

                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
                    var rules = scope.ServiceProvider.GetRequiredService<DeliveryRules>();
                    var now = clock.GetUtcNow();
                    switch (work)
                    {
                        case Evaluation.OrderMoved moved:
                            var order = await db.LiveOrders.AsNoTracking().SingleOrDefaultAsync(l => l.OrderId == moved.OrderId, stoppingToken);
                            if (order is not null)
                            {
                                await rules.EvaluateRiderAsync(order, now, stoppingToken);
                                // The estimate is computed on the order as it is saved, so an arrival the rules just recorded counts.
                                await scope.ServiceProvider.GetRequiredService<EtaEstimator>().UpdateAsync(order, now, stoppingToken);
                            }

                            break;
                        case Evaluation.Backfilled backfilled:
                            var delivering = await db.LiveOrders.AsNoTracking()
                                .Where(l => l.RiderId == backfilled.RiderId && l.IsActive && l.AssignedAt <= backfilled.To)
                                .ToListAsync(stoppingToken);
                            foreach (var carried in delivering)
                            {
                                await rules.ReplayAsync(carried, backfilled.From, backfilled.To, stoppingToken);
                                await rules.EvaluateRiderAsync(
                                    await db.LiveOrders.AsNoTracking().SingleAsync(l => l.OrderId == carried.OrderId, stoppingToken), now, stoppingToken);
                            }

                            break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Evaluating {Work} failed; the scan will evaluate the order", work);
                }
                finally
                {
                    queue.Finished();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }
}
