using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Live;

/// <summary>
/// Orders' live state in <see cref="HybridCache"/> (in process; a distributed second level plugs in underneath without
/// changing this class). The database is the truth and every change is also a delta: the cache applies the delta that
/// is exactly its next version, and on a gap reloads the order from the database, so a lost or reordered delta heals on
/// the next one. Deltas of one order are applied one at a time (striped locks). An order's key is its id, the same string
/// its cached state carries, so the id is kept once however many of the cache's structures hold it (the distributed
/// level, which holds nothing else, puts its keys under <see cref="RedisPrefix"/>).
/// </summary>
internal sealed class LiveOrderCache(
    HybridCache cache, IServiceScopeFactory scopes, IOptions<LiveStateOptions> options, Shared.Observability.ServiceMetrics metrics)
{
    /// <summary>What the distributed level's keys (an order id each) start with.</summary>
    public const string RedisPrefix = Shared.ScaleOut.ScaleOut.Prefix + "tracking:live:";

    private const int Stripes = 64;
    private const int WarmPageSize = 500;
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    private HybridCacheEntryOptions Entry => new()
    {
        Expiration = options.Value.CacheDuration,
        LocalCacheExpiration = options.Value.CacheDuration,
    };

    /// <summary>The order's live state, from the cache or else the database; null for an unknown order.</summary>
    public async ValueTask<LiveOrderSnapshot?> GetAsync(string orderId, CancellationToken cancellationToken)
    {
        var lookup = new Lookup(this, orderId);
        try
        {
            return await cache.GetOrCreateAsync(orderId, lookup,
                static (lookup, token) => lookup.LoadAsync(token), Entry, cancellationToken: cancellationToken);
        }
        catch (NotOpenYet)
        {
            // Never remember an absence (the cache keeps what a load returns, but not what it throws): an order read a
            // moment before its state is opened (a client subscribing right after placing it) is found by the next
            // read after the opening, not only when its next change reaches the cache.
            return null;
        }
        finally
        {
            metrics.LiveCacheLookups.WithLabels(lookup.Missed ? "miss" : "hit").Inc();
        }
    }

    /// <summary>One read: remembers whether the cache had to load the state from the database.</summary>
    private sealed class Lookup(LiveOrderCache cache, string orderId)
    {
        public bool Missed { get; private set; }

        public async ValueTask<LiveOrderSnapshot> LoadAsync(CancellationToken cancellationToken)
        {
            Missed = true;
            return await cache.LoadAsync(orderId, cancellationToken) ?? throw new NotOpenYet();
        }
    }

    /// <summary>The order has no live state (yet): thrown out of a load so that the cache stores nothing.</summary>
    private sealed class NotOpenYet : Exception;

    public async ValueTask ApplyAsync(OrderTrackingChanged delta, CancellationToken cancellationToken)
    {
        var gate = _locks[(int)((uint)StringComparer.Ordinal.GetHashCode(delta.OrderId) % Stripes)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            var current = await GetAsync(delta.OrderId, cancellationToken);
            if (current is not null && delta.Version <= current.Version)
            {
                return;
            }

            var next = current is not null && delta.Version == current.Version + 1
                ? current.Apply(delta)
                : await LoadAsync(current?.OrderId ?? delta.OrderId, cancellationToken); // the key's own copy of the id
            if (next is null)
            {
                await cache.RemoveAsync(delta.OrderId, cancellationToken);
            }
            else
            {
                await cache.SetAsync(next.OrderId, next, Entry, cancellationToken: cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Puts every active order's state in the cache (at start-up), page by page in key order.</summary>
    public async Task<int> WarmAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        var count = 0;
        var after = string.Empty;
        while (true)
        {
            var page = await db.LiveOrders.AsNoTracking()
                .Where(l => l.IsActive && string.Compare(l.OrderId, after) > 0)
                .OrderBy(l => l.OrderId)
                .Take(WarmPageSize)
                .ToListAsync(cancellationToken);
            foreach (var live in page)
            {
                await cache.SetAsync(live.OrderId, live.ToSnapshot(), Entry, cancellationToken: cancellationToken);
            }

            count += page.Count;
            if (page.Count < WarmPageSize)
            {
                return count;
            }

            after = page[^1].OrderId;
        }
    }

    private async ValueTask<LiveOrderSnapshot?> LoadAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        var live = await db.LiveOrders.AsNoTracking().SingleOrDefaultAsync(l => l.OrderId == orderId, cancellationToken);
        return live is null ? null : live.ToSnapshot() with { OrderId = orderId };
    }

    /// <summary>The host's <see cref="TimeProvider"/> as the memory cache's clock.</summary>
    internal sealed class Clock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
