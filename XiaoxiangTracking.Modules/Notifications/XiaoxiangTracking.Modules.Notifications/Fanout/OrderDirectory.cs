using System.Collections.Concurrent;
using XiaoxiangTracking.Modules.Shared.Memory;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>
/// Who an order concerns: its warehouse and its current rider. <paramref name="OrderId"/> is the directory's own copy of
/// the order id, for whatever keeps the order by id for long (the delta history, every connection following it): one
/// string per order rather than one per holder. The warehouse and rider ids are the shared copies (<see cref="Names"/>).
/// </summary>
internal sealed record OrderParties(string OrderId, string WarehouseId, string? RiderId)
{
    public string WarehouseId { get; init => field = Names.Shared(value); } = Names.Shared(WarehouseId);

    public string? RiderId { get; init => field = Names.Shared(value); } = Names.Shared(RiderId);

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

    /// <summary>
    /// Applies a delta; returns the parties before it (the previous rider loses a reassigned order). Moves come from the
    /// position writer while status changes come through the outbox, so two deltas of one order may be applied at once:
    /// a change is swapped in only over the parties it was made from, and a delta that changes no party (a move, an
    /// estimate, an alert) leaves them as they are.
    /// </summary>
    public OrderParties? Apply(OrderTrackingChanged change)
    {
        while (Find(change.OrderId) is { } before)
        {
            if (change.RiderId is null && change.Active != false)
            {
                return before;
            }

            var after = before with
            {
                RiderId = change.RiderId ?? before.RiderId,
                EndedAt = change.Active == false ? clock.GetUtcNow() : before.EndedAt,
            };
            if (_orders.TryUpdate(change.OrderId, after, before))
            {
                return before;
            }
        }

        return null;
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
