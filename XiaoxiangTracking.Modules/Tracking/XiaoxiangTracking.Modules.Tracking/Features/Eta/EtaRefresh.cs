using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Hosting;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Eta;

/// <summary>
/// Makes again, every <see cref="EtaOptions.RefreshInterval"/>, the estimates that would fall due before the next round
/// (a rider who stopped reporting, a warehouse still picking): each is at least <see cref="EtaModel.MinimumLead"/>
/// ahead when made and the interval is shorter than that lead, so no order on its way is ever shown as due in the past.
/// Also those whose rider has gone silent, so their confidence says so.
/// </summary>
internal sealed class EtaRefresh(
    IServiceScopeFactory scopes, IOptions<EtaOptions> options, IOptions<AlertOptions> alerts, TimeProvider clock, ILogger<EtaRefresh> logger)
    : PeriodicService(clock, logger)
{
    protected override TimeSpan Interval => options.Value.RefreshInterval;

    protected override string Work => "Refreshing arrival estimates about to fall due";

    protected override Task RoundAsync(CancellationToken cancellationToken) => RefreshDueAsync(cancellationToken);

    /// <summary>Re-estimates every order on its way whose estimate falls due before the round after this one; returns how many.</summary>
    public async Task<int> RefreshDueAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var soon = now + EtaModel.MinimumLead + options.Value.RefreshInterval;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        var estimator = scope.ServiceProvider.GetRequiredService<EtaEstimator>();
        var silentSince = now - alerts.Value.OfflineAfter;
        var due = await db.LiveOrders.AsNoTracking()
            .Where(l => l.IsActive && (l.Status == OrderStatus.Paid || l.Status == OrderStatus.Delivering))
            .Where(l => l.EtaAt == null || l.EtaAt < soon
                // A rider gone silent: the estimate no longer has the inputs its confidence claims.
                || (l.RiderId != null && l.EtaConfidence != EtaEstimator.ThinConfidence
                    && !db.RiderFixes.Any(f => f.RiderId == l.RiderId && f.FixTime >= silentSince)))
            .ToListAsync(cancellationToken);
        foreach (var order in due)
        {
            if (order.RiderId is null)
            {
                await estimator.UpdateBeforeRiderAsync(order.OrderId, packed: false, now, cancellationToken);
            }
            else
            {
                await estimator.UpdateAsync(order, now, cancellationToken);
            }
        }

        return due.Count;
    }
}
