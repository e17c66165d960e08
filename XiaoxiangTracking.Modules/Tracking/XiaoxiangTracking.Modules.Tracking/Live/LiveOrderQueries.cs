using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Live;

/// <summary>Other modules' reads of live state: one order from the cache, sets of orders from the table.</summary>
internal sealed class LiveOrderQueries(LiveOrderCache cache, TrackingDbContext db) : ILiveOrderQueries
{
    public async ValueTask<LiveOrderSnapshot?> GetAsync(string orderId, long atLeastVersion, CancellationToken cancellationToken)
    {
        var cached = await cache.GetAsync(orderId, cancellationToken);
        if (cached is not null && cached.Version >= atLeastVersion)
        {
            return cached;
        }

        // The cache is a moment behind the change the reader saw (a load that began before it was committed, or its
        // delta not applied yet): the table has it.
        var live = await db.LiveOrders.AsNoTracking().SingleOrDefaultAsync(l => l.OrderId == orderId, cancellationToken);
        return live is null ? cached : live.ToSnapshot();
    }

    public async Task<IReadOnlyList<LiveOrderSnapshot>> ActiveAsync(string? warehouseId, CancellationToken cancellationToken)
    {
        var active = db.LiveOrders.AsNoTracking().Where(l => l.IsActive);
        if (warehouseId is not null)
        {
            active = active.Where(l => l.WarehouseId == warehouseId);
        }

        return [.. (await active.ToListAsync(cancellationToken)).Select(l => l.ToSnapshot())];
    }

    public async Task<IReadOnlyList<LiveOrderSnapshot>> ForRiderAsync(string riderId, CancellationToken cancellationToken) =>
        [.. (await db.LiveOrders.AsNoTracking().Where(l => l.IsActive && l.RiderId == riderId).ToListAsync(cancellationToken))
            .Select(l => l.ToSnapshot())];
}
