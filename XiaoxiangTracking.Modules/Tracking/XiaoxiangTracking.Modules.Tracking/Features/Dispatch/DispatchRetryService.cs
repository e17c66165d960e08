using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Shared.Hosting;
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
    ILogger<DispatchRetryService> logger) : PeriodicService(clock, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => options.Value.RetryInterval;

    protected override string Work => "Retrying dispatch";

    protected override async Task RoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        var dispatcher = scope.ServiceProvider.GetRequiredService<Dispatcher>();
        var now = Clock.GetUtcNow();
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
