using System.Threading.Channels;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Tracking.Live;

/// <summary>
/// Publishes the committed moves (<see cref="LivePositionUpdate"/>), in commit order, so that the position writer's next
/// commit does not wait for the pushes of this one. Not through the outbox: a position is superseded within seconds, and
/// a delta lost to a crash shows as a version gap that receivers close by fetching the state again. Registered before the
/// position writer, so it stops after it and publishes what the writer's last commits moved.
/// </summary>
internal sealed class LiveMoves(IServiceScopeFactory scopes, ILogger<LiveMoves> logger) : BackgroundService
{
    // One reader keeps each order's deltas in version order.
    private readonly Channel<List<OrderTrackingChanged>> _moves = Channel.CreateBounded<List<OrderTrackingChanged>>(
        new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues one commit's moves (waiting when the fan-out is 1,024 commits behind).</summary>
    public ValueTask PublishAsync(List<OrderTrackingChanged> moved) => _moves.Writer.WriteAsync(moved, CancellationToken.None);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _moves.Reader.WaitToReadAsync(stoppingToken))
            {
                await PublishQueuedAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the writer has stopped before; publish what its last commits moved.
            _moves.Writer.TryComplete();
            await PublishQueuedAsync();
        }
    }

    private async Task PublishQueuedAsync()
    {
        while (_moves.Reader.TryRead(out var deltas))
        {
            await using var scope = scopes.CreateAsyncScope();
            var publisher = scope.ServiceProvider.GetRequiredService<IPublisher>();
            foreach (var delta in deltas)
            {
                try
                {
                    await publisher.Publish(delta, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Publishing the move of order {OrderId} (version {Version}) failed", delta.OrderId, delta.Version);
                }
            }
        }
    }
}
