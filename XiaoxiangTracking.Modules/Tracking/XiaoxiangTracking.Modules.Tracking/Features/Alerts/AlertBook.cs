using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Live;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Features.Alerts;

/// <summary>
/// Raises and resolves alerts. Each change is one transaction: the alert, its timeline entry and the order's live
/// state (the set of open alerts, a new version and delta) — with <c>AlertRaised</c>/<c>AlertResolved</c> and the
/// delta in the outbox. Raising an alert already open does nothing; two raising at once meet the unique index and the
/// second does nothing either.
/// </summary>
internal sealed class AlertBook(TrackingDbContext db, LiveOrderStore store, TimeProvider clock)
{
    /// <summary>Raises the alert unless one of its type is open on the order; true when this call raised it.</summary>
    public async Task<bool> RaiseAsync(
        string orderId, AlertType type, string? riderId, AlertFacts facts, GeoCoordinate? location, bool retroactive, CancellationToken cancellationToken)
    {
        if (await IsOpenAsync(orderId, type, cancellationToken))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        try
        {
            var saved = await store.ChangeAsync(orderId, live =>
            {
                // Read again on every try: a raise that lost the race to the order's version finds the alert open
                // here and adds nothing (rather than meeting the unique index).
                if (!live.IsActive || live.Alerts.Contains(type))
                {
                    return null;
                }

                var alert = Alert.Raise(orderId, type, riderId, facts, location, retroactive, now);
                db.Alerts.Add(alert);
                db.OrderTracking.Add(OrderTrackingEntry.ForAlert(alert, (byte)live.Status, raised: true, now));
                return new LiveChange.AlertsChanged([.. live.Alerts, type]);
            }, cancellationToken);
            return saved is not null;
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            // Raised concurrently by another run: the unique index kept it to one.
            db.ChangeTracker.Clear();
            if (await IsOpenAsync(orderId, type, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }

    /// <summary>
    /// Resolves the order's unresolved alerts of <paramref name="type"/> (all types when null) — by the operator, or by
    /// themselves when <paramref name="operatorId"/> is null. Returns how many it resolved.
    /// </summary>
    public async Task<int> ResolveAsync(string orderId, AlertType? type, string? operatorId, CancellationToken cancellationToken)
    {
        if (!await db.Alerts.AnyAsync(Unresolved(orderId, type), cancellationToken))
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var resolved = 0;
        await store.ChangeAsync(orderId, async (live, token) =>
        {
            var types = await ResolveRecordsAsync(live, type, operatorId, now, token);
            resolved = types.Count;
            return types.Count > 0 ? new LiveChange.AlertsChanged(live.Alerts.Except(types)) : null;
        }, cancellationToken);
        return resolved;
    }

    /// <summary>
    /// Resolves the order's unresolved alert records (of <paramref name="type"/>, or all) with their timeline entries, as
    /// part of a change of its live state that the caller decides and saves (closing them, or ending the order).
    /// Returns the types resolved.
    /// </summary>
    public async Task<IReadOnlyCollection<AlertType>> ResolveRecordsAsync(
        LiveOrder live, AlertType? type, string? operatorId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var alerts = await db.Alerts.Where(Unresolved(live.OrderId, type)).ToListAsync(cancellationToken);
        var resolved = new HashSet<AlertType>();
        foreach (var alert in alerts.Where(a => a.Resolve(operatorId, now)))
        {
            resolved.Add(alert.Type);
            db.OrderTracking.Add(OrderTrackingEntry.ForAlert(alert, (byte)live.Status, raised: false, now));
        }

        return resolved;
    }

    private Task<bool> IsOpenAsync(string orderId, AlertType type, CancellationToken cancellationToken) =>
        db.Alerts.AnyAsync(Unresolved(orderId, type), cancellationToken);

    private static System.Linq.Expressions.Expression<Func<Alert, bool>> Unresolved(string orderId, AlertType? type) =>
        type is { } only
            ? a => a.OrderId == orderId && a.Type == only && a.Status != AlertStatus.Resolved
            : a => a.OrderId == orderId && a.Status != AlertStatus.Resolved;
}
