using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Alerts;

/// <summary>
/// The recurring safety net (<see cref="AlertOptions.ScanCron"/>, every minute): evaluates the timeout, offline and
/// stall rules for every active order, raising what holds and resolving what no longer does. Idempotent — run twice,
/// or twice at once, it leaves the same alerts.
/// </summary>
internal sealed class AlertScan(TrackingDbContext db, AlertBook alerts, IOptions<AlertOptions> options, TimeProvider clock)
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
            if (order is { Status: OrderStatus.Delivering, RiderId: { } riderId, AssignedAt: { } assignedAt })
            {
                await RiderAsync(order, riderId, assignedAt, now, settings, cancellationToken);
            }
        }
    }

    private async Task TimeoutsAsync(LiveOrder order, DateTimeOffset now, AlertOptions settings, CancellationToken cancellationToken)
    {
        if (now >= order.PromisedDeliveryAt)
        {
            await alerts.RaiseAsync(order.OrderId, AlertType.Timeout, order.RiderId,
                $"Not delivered by the promised {order.PromisedDeliveryAt:HH:mm} UTC.", null, false, cancellationToken);
            await alerts.ResolveAsync(order.OrderId, AlertType.TimeoutWarning, null, cancellationToken);
        }
        else if (now >= order.PromisedDeliveryAt - settings.TimeoutWarningBefore)
        {
            await alerts.RaiseAsync(order.OrderId, AlertType.TimeoutWarning, order.RiderId,
                $"Promised for {order.PromisedDeliveryAt:HH:mm} UTC, {(order.PromisedDeliveryAt - now).TotalMinutes:0} min from now.",
                null, false, cancellationToken);
        }
    }

    private async Task RiderAsync(
        LiveOrder order, string riderId, DateTimeOffset assignedAt, DateTimeOffset now, AlertOptions settings, CancellationToken cancellationToken)
    {
        var latest = await db.RiderFixes.AsNoTracking().Where(f => f.RiderId == riderId)
            .Select(f => (DateTimeOffset?)f.FixTime).SingleOrDefaultAsync(cancellationToken);
        var offline = AlertRules.IsOffline(now, latest, assignedAt, settings);
        await ApplyAsync(order, AlertType.Offline, offline, riderId,
            $"No position from rider {riderId} since {(latest ?? assignedAt):HH:mm:ss} UTC.", null, cancellationToken);

        // An anchor fix before the stall period is needed; older than the offline threshold before it, the rider was offline.
        var from = now - settings.StallAfter - settings.OfflineAfter;
        var fixes = await db.RiderPositions.AsNoTracking()
            .Where(p => p.RiderId == riderId && p.FixTime >= from && p.FixTime <= now)
            .OrderBy(p => p.FixTime)
            .Select(p => new Fix(p.FixTime, p.Latitude, p.Longitude))
            .ToListAsync(cancellationToken);
        var stalled = !offline && AlertRules.IsStalled(now, fixes, assignedAt, order.WarehouseLocation, order.DeliveryLocation, settings);
        await ApplyAsync(order, AlertType.Stall, stalled, riderId,
            $"Rider {riderId} has moved less than {settings.StallRadiusMeters:0} m in {settings.StallAfter.TotalMinutes:0} min.",
            fixes.Count > 0 ? fixes[^1].Location : null, cancellationToken);
    }

    private async Task ApplyAsync(
        LiveOrder order, AlertType type, bool holds, string riderId, string detail, Shared.Domain.GeoCoordinate? at, CancellationToken cancellationToken)
    {
        if (holds)
        {
            await alerts.RaiseAsync(order.OrderId, type, riderId, detail, at, false, cancellationToken);
        }
        else if (order.Alerts.Contains(type))
        {
            await alerts.ResolveAsync(order.OrderId, type, null, cancellationToken);
        }
    }
}

/// <summary>Registers the alert scan as a recurring job.</summary>
internal sealed class AlertScanSchedule(IRecurringJobManager recurring, IOptions<AlertOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<AlertScan>(AlertScan.RecurringJobId, scan => scan.RunAsync(CancellationToken.None), options.Value.ScanCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
