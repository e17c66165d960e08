using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Tracking.Domain;

namespace XiaoxiangTracking.Modules.Tracking.Persistence;

/// <summary>
/// Changes one order's live state through its aggregate. The position writer bumps the same row's version in SQL, so a
/// change may lose the optimistic-concurrency race; it is then re-applied to a fresh copy (a few times, since a rider
/// moves at most every few seconds), and only a persistent conflict surfaces.
/// </summary>
internal static class LiveOrderChanges
{
    private const int Attempts = 5;

    /// <summary>
    /// Loads the order's live state, lets <paramref name="change"/> act on it (it may also add rows to the context, which
    /// commit with it) and saves. Returns the saved state, or null when there is no live state or the change declined
    /// (returned false).
    /// </summary>
    public static Task<LiveOrder?> SaveAsync(
        TrackingDbContext db, string orderId, Func<LiveOrder, bool> change, CancellationToken cancellationToken) =>
        SaveAsync(db, orderId, (live, _) => Task.FromResult(change(live)), cancellationToken);

    /// <summary>As above, for a change that reads more of the module's tables (each attempt reads afresh).</summary>
    public static async Task<LiveOrder?> SaveAsync(
        TrackingDbContext db, string orderId, Func<LiveOrder, CancellationToken, Task<bool>> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var live = await db.LiveOrders.SingleOrDefaultAsync(l => l.OrderId == orderId, cancellationToken);
            if (live is null || !await change(live, cancellationToken))
            {
                return null;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return live;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // A position update (or another change) committed in between: apply again on top of it.
            }
        }
    }
}
