using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Alerts;

/// <summary>
/// The recurring safety net (<see cref="AlertOptions.ScanCron"/>, every minute): evaluates the timeout rules and the
/// rider rules (<see cref="DeliveryRules"/>) for every active order, raising what holds and resolving what no longer
/// does. Idempotent — run twice, or twice at once, it leaves the same alerts.
/// </summary>
internal sealed class AlertScan(TrackingDbContext db, AlertBook alerts, DeliveryRules rules, IOptions<AlertOptions> options, TimeProvider clock)
{
    public const string RecurringJobId = "alerts-scan";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var orders = await db.LiveOrders.AsNoTracking()
            .Where(l => l.IsActive && (l.Status == OrderStatus.Paid || l.Status == OrderStatus.Delivering))
            .ToListAsync(cancellationToken);
        foreach (var order in orders)
        {
            await TimeoutsAsync(order, now, settings, cancellationToken);
            await rules.EvaluateRiderAsync(order, now, cancellationToken);
        }
    }

    private async Task TimeoutsAsync(LiveOrder order, DateTimeOffset now, AlertOptions settings, CancellationToken cancellationToken)
    {
        if (now >= order.PromisedDeliveryAt)
        {
            await alerts.RaiseAsync(order.OrderId, AlertType.Timeout, order.RiderId,
                new AlertFacts(AlertReason.Late, PromisedAt: order.PromisedDeliveryAt), null, false, cancellationToken);
            await alerts.ResolveAsync(order.OrderId, AlertType.TimeoutWarning, null, cancellationToken);
        }
        else if (now >= order.PromisedDeliveryAt - settings.TimeoutWarningBefore)
        {
            await alerts.RaiseAsync(order.OrderId, AlertType.TimeoutWarning, order.RiderId,
                new AlertFacts(AlertReason.DueSoon, Minutes: (int)Math.Round((order.PromisedDeliveryAt - now).TotalMinutes), PromisedAt: order.PromisedDeliveryAt),
                null, false, cancellationToken);
        }
    }
}

/// <summary>Registers the alert scan as a recurring job, and the open-alerts gauge read at each scrape.</summary>
internal sealed class AlertScanSchedule(
    IRecurringJobManager recurring,
    IOptions<AlertOptions> options,
    Shared.Observability.ServiceMetrics metrics,
    Shared.Persistence.DatabaseReadiness readiness,
    IServiceScopeFactory scopes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<AlertScan>(AlertScan.RecurringJobId, scan => scan.RunAsync(CancellationToken.None), options.Value.ScanCron);
        metrics.BeforeScrape(CountOpenAlertsAsync);
        return Task.CompletedTask;
    }

    private async Task CountOpenAlertsAsync(CancellationToken cancellationToken)
    {
        if (!readiness.IsMigrated(typeof(TrackingDbContext)))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var open = await scope.ServiceProvider.GetRequiredService<TrackingDbContext>().Alerts.AsNoTracking()
            .Where(a => a.Status != AlertStatus.Resolved)
            .GroupBy(a => a.Type)
            .Select(g => new { Type = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        foreach (var type in Enum.GetValues<AlertType>())
        {
            metrics.AlertsOpen.WithLabels(type.ToString()).Set(open.FirstOrDefault(o => o.Type == type)?.Count ?? 0);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
