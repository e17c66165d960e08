using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Dispatch;

/// <summary>Every retry interval, tries again the orders still waiting for a rider whose next attempt is due, oldest first.</summary>
internal sealed class DispatchRetryService(
    IServiceScopeFactory scopes,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<DispatchRetryService> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetryInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RetryDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Retrying dispatch failed; trying again at the next interval");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task RetryDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        var dispatcher = scope.ServiceProvider.GetRequiredService<Dispatcher>();
        var now = clock.GetUtcNow();
        var due = await db.LiveOrders.AsNoTracking()
            .Where(l => l.AwaitingRider && l.NextDispatchAt <= now)
            .OrderBy(l => l.NextDispatchAt)
            .Select(l => l.OrderId)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var orderId in due)
        {
            await dispatcher.TryDispatchAsync(orderId, cancellationToken);
        }
    }
}
