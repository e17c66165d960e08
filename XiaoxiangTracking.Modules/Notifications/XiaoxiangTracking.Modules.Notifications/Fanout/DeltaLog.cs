using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Notifications.Settings;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>
/// The last <see cref="NotificationsOptions.DeltaHistory"/> deltas of each order this process has seen, so a client
/// that reconnects or saw a gap gets exactly the changes it missed; when they reach further back than the history, it
/// gets a snapshot instead. An order's history is dropped a while after its last change.
/// </summary>
internal sealed class DeltaLog(IOptions<NotificationsOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan KeepIdleFor = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, History> _orders = new(StringComparer.Ordinal);

    /// <summary>
    /// Records a delta. Deltas may arrive out of order (status changes come through the outbox, moves straight from the
    /// position writer), so the history is kept sorted and a late one fills its hole.
    /// </summary>
    public void Append(OrderTrackingChanged change)
    {
        var history = _orders.GetOrAdd(change.OrderId, _ => new History());
        lock (history)
        {
            history.LastTouched = clock.GetUtcNow();
            if (history.Deltas.Count >= options.Value.DeltaHistory && change.Version < history.Deltas.Keys[0])
            {
                return;
            }

            history.Deltas.TryAdd(change.Version, change);
            while (history.Deltas.Count > options.Value.DeltaHistory)
            {
                history.Deltas.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// The deltas after <paramref name="version"/>, oldest first, if the history holds every one of them up to the
    /// newest it knows (an empty list when nothing newer is known); null when it does not, and a snapshot is needed.
    /// </summary>
    public IReadOnlyList<OrderTrackingChanged>? After(string orderId, long version)
    {
        if (!_orders.TryGetValue(orderId, out var history))
        {
            return null;
        }

        lock (history)
        {
            var deltas = history.Deltas;
            if (deltas.Count == 0 || deltas.Keys[0] > version + 1)
            {
                return null;
            }

            var missed = new List<OrderTrackingChanged>();
            var expected = version + 1;
            foreach (var (number, change) in deltas)
            {
                if (number < expected)
                {
                    continue;
                }

                if (number != expected)
                {
                    return null;
                }

                missed.Add(change);
                expected++;
            }

            return missed;
        }
    }

    /// <summary>The newest version seen of the order, if any.</summary>
    public long? Latest(string orderId)
    {
        if (!_orders.TryGetValue(orderId, out var history))
        {
            return null;
        }

        lock (history)
        {
            return history.Deltas.Count == 0 ? null : history.Deltas.Keys[^1];
        }
    }

    /// <summary>Forgets orders unchanged for an hour (finished ones, mostly).</summary>
    public void Trim()
    {
        var cutoff = clock.GetUtcNow() - KeepIdleFor;
        foreach (var (orderId, history) in _orders)
        {
            if (history.LastTouched < cutoff)
            {
                _orders.TryRemove(orderId, out _);
            }
        }
    }

    private sealed class History
    {
        public SortedList<long, OrderTrackingChanged> Deltas { get; } = [];

        public DateTimeOffset LastTouched { get; set; }
    }
}
