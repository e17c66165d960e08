using System.Threading.Channels;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Features.Eta;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Alerts;

/// <summary>
/// Orders whose rider just moved, waiting to be evaluated against the rider rules. Bounded: when it is full a move is
/// not queued (the recurring scan evaluates every order anyway), so rule evaluation never holds up ingestion.
/// </summary>
internal sealed class MoveEvaluationQueue(IOptions<AlertOptions> options)
{
    private readonly Channel<string> _orders = Channel.CreateBounded<string>(new BoundedChannelOptions(options.Value.EvaluationQueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    public ChannelReader<string> Reader => _orders.Reader;

    public void Queue(string orderId) => _orders.Writer.TryWrite(orderId);
}

/// <summary>Queues every order whose rider moved or changed for evaluation (in memory, without waiting).</summary>
internal sealed class QueueMoveEvaluation(MoveEvaluationQueue queue) : INotificationHandler<OrderTrackingChanged>
{
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
            await foreach (var orderId in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
                    var order = await db.LiveOrders.AsNoTracking().SingleOrDefaultAsync(l => l.OrderId == orderId, stoppingToken);
                    if (order is not null)
                    {
                        var now = clock.GetUtcNow();
                        await scope.ServiceProvider.GetRequiredService<DeliveryRules>().EvaluateRiderAsync(order, now, stoppingToken);
                        // The rules may have recorded an arrival, which changes the distance left.
                        order = await db.LiveOrders.AsNoTracking().SingleAsync(l => l.OrderId == orderId, stoppingToken);
                        await scope.ServiceProvider.GetRequiredService<EtaEstimator>().UpdateAsync(order, now, stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Evaluating the move of order {OrderId} failed; the scan will evaluate it", orderId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }
}
