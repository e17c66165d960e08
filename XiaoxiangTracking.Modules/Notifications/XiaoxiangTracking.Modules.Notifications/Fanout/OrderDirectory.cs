using System.Collections.Concurrent;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>
/// Who an order concerns: its warehouse and its current rider. <paramref name="OrderId"/> is the directory's own copy of
/// the order id, for whatever keeps the order by id for long (the delta history, every connection following it): one
/// string per order rather than one per holder.
/// </summary>
internal sealed record OrderParties(string OrderId, string WarehouseId, string? RiderId)
{
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>
/// Which warehouse and rider each order has, kept in memory so fan-out decides who gets a delta without I/O. Filled at
/// start-up from Tracking's active orders and by <c>OrderPlaced</c>; moved by the deltas themselves. An ended order
/// stays known for a while (its last delta still reaches its rider and warehouse) and is then forgotten.
/// </summary>
internal sealed class OrderDirectory(TimeProvider clock)
{
    private static readonly TimeSpan KeepEndedFor = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, OrderParties> _orders = new(StringComparer.Ordinal);

    public OrderParties? Find(string orderId) => _orders.GetValueOrDefault(orderId);

    /// <summary>The directory's copy of the order id when it knows the order; otherwise <paramref name="orderId"/> itself.</summary>
    public string Shared(string orderId) => Find(orderId)?.OrderId ?? orderId;

    public void Add(string orderId, string warehouseId, string? riderId) =>
        _orders.AddOrUpdate(orderId, new OrderParties(orderId, warehouseId, riderId), (_, known) => known with { RiderId = riderId ?? known.RiderId });

    /// <summary>Learns an order's warehouse unless the order is known already.</summary>
    public void Know(string orderId, string warehouseId) => _orders.TryAdd(orderId, new OrderParties(orderId, warehouseId, null));

    /// <summary>Applies a delta; returns the parties before it (the previous rider loses a reassigned order).</summary>
    public OrderParties? Apply(OrderTrackingChanged change)
    {
        var before = Find(change.OrderId);
        if (before is null)
        {
            return null;
        }

        var after = before with
        {
            RiderId = change.RiderId ?? before.RiderId,
            EndedAt = change.Active == false ? clock.GetUtcNow() : before.EndedAt,
        };
        _orders[change.OrderId] = after;
        return before;
    }

    public void Trim()
    {
        var cutoff = clock.GetUtcNow() - KeepEndedFor;
        foreach (var (orderId, parties) in _orders)
        {
            if (parties.EndedAt < cutoff)
            {
                _orders.TryRemove(orderId, out _);
            }
        }
    }
}
