using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Live;

/// <summary>
/// The one writer of orders' live state besides the position writer's set-based move (<see cref="LivePositionUpdate"/>):
/// opens it, and applies each <see cref="LiveChange"/> as exactly one new version whose delta goes to the outbox in the
/// same transaction (and from there to every receiver). A move may commit between the read and the save; the change is
/// then decided and applied again on a fresh copy (a few times, since a rider moves at most every few seconds), and
/// only a persistent conflict surfaces. Scoped: rows a decision adds to the context (an alert, a filed speed) commit
/// with the change.
/// </summary>
internal sealed class LiveOrderStore(TrackingDbContext db, TimeProvider clock)
{
    private const int Attempts = 5;

    /// <summary>Opens the order's live state at version 1; false when it is open already (a repeated notification).</summary>
    public async Task<bool> OpenAsync(OrderPlaced placed, CancellationToken cancellationToken)
    {
        if (await db.LiveOrders.AnyAsync(l => l.OrderId == placed.OrderId, cancellationToken))
        {
            return false;
        }

        db.LiveOrders.Add(LiveOrder.Open(placed, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery of the same notification may have opened it first; anything else is a real failure.
            db.ChangeTracker.Clear();
            if (!await db.LiveOrders.AnyAsync(l => l.OrderId == placed.OrderId, cancellationToken))
            {
                throw;
            }

            return false;
        }
    }

    /// <summary>
    /// Shows <paramref name="decide"/> the order's current state; applies and saves the change it returns. Returns the
    /// saved state, or null when the order has no live state, the decision was null or the change changed nothing.
    /// </summary>
    public Task<LiveOrder?> ChangeAsync(string orderId, Func<LiveOrder, LiveChange?> decide, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, (live, _) => Task.FromResult(decide(live)), cancellationToken);

    /// <summary>As above, for a decision that reads more of the module's tables (each attempt decides afresh).</summary>
    public async Task<LiveOrder?> ChangeAsync(
        string orderId, Func<LiveOrder, CancellationToken, Task<LiveChange?>> decide, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var live = await db.LiveOrders.SingleOrDefaultAsync(l => l.OrderId == orderId, cancellationToken);
            if (live is null || await decide(live, cancellationToken) is not { } change)
            {
                return null;
            }

            var version = live.Version;
            if (!change.Apply(live, db, clock.GetUtcNow()))
            {
                return null;
            }

            if (live.Version != version + 1)
            {
                throw new InvalidOperationException(
                    $"{change.GetType().Name} took order {orderId} from version {version} to {live.Version}; a change makes exactly one version.");
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return live;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // A move (or another change) committed in between: decide and apply again on top of it.
            }
        }
    }
}
