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
internal sealed class DeltaLog(IOptions<NotificationsOptions> options, OrderDirectory directory, TimeProvider clock)
{
    private static readonly TimeSpan KeepIdleFor = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, History> _orders = new(StringComparer.Ordinal);

    /// <summary>
    /// Records a delta. Deltas may arrive out of order (status changes come through the outbox, moves straight from the
    /// position writer); each has its version's place in the history, so a late one fills its hole. Returns true when
    /// the history already held a newer version: a receiver waiting on this one can now be sent those too.
    /// </summary>
    public bool Append(OrderTrackingChanged change)
    {
        var history = _orders.TryGetValue(change.OrderId, out var known)
            ? known
            : _orders.GetOrAdd(directory.Shared(change.OrderId), static (orderId, capacity) => new History(orderId, capacity), options.Value.DeltaHistory);
        lock (history)
        {
            history.LastTouched = clock.GetUtcNow();
            history.Add(change);
            return history.Newest > change.Version;
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
            return history.After(version);
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
            return history.Newest;
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

    /// <summary>
    /// One order's newest deltas in a ring: version v has slot v mod capacity, so a slot holds the version it should
    /// only while that version is among the newest <c>capacity</c>. A delta that changes one thing — a move (most deltas
    /// by far), the set of open alerts, the arrival estimate — is kept as that thing, its version and its time (in UTC),
    /// and made whole again when a client is caught up; any other delta is kept whole. Either way the order id is the
    /// history's copy, the order directory's (each delta came with its own, read from the database). A delta made whole
    /// again has no <see cref="OrderTrackingChanged.ReportedAt"/>: it is sent to catch a client up, not as it happens,
    /// so its age is not the ingest-to-push latency.
    /// </summary>
    private sealed class History(string orderId, int capacity)
    {
        private readonly Kept[] _slots = new Kept[capacity];

        public long? Newest { get; private set; }

        public DateTimeOffset LastTouched { get; set; }

        public void Add(OrderTrackingChanged change)
        {
            ref var slot = ref Slot(change.Version);
            if (slot.IsSet && slot.Version >= change.Version)
            {
                return; // already kept, or older than everything kept
            }

            slot = new Kept(Compact(change), change.Version, change.OccurredAt.UtcTicks);
            Newest = Math.Max(Newest ?? change.Version, change.Version);
        }

        public List<OrderTrackingChanged>? After(long version)
        {
            if (Newest is not { } newest || newest - version > _slots.Length)
            {
                return null;
            }

            var missed = new List<OrderTrackingChanged>((int)Math.Max(0, newest - version));
            for (var expected = version + 1; expected <= newest; expected++)
            {
                var kept = Slot(expected);
                if (!kept.IsSet || kept.Version != expected)
                {
                    return null;
                }

                missed.Add(Whole(kept));
            }

            return missed;
        }

        private object Compact(OrderTrackingChanged change) => change switch
        {
            { Status: null, RiderId: null, Active: null, Alerts: null, Eta: null, Position: { } position, Cleared: LiveFields.None, Collected: null } => position,
            { Status: null, RiderId: null, Active: null, Position: null, Eta: null, Alerts: { } alerts, Cleared: LiveFields.None, Collected: null } => alerts,
            { Status: null, RiderId: null, Active: null, Position: null, Alerts: null, Eta: { } eta, Cleared: LiveFields.None, Collected: null } => eta,
            _ => ReferenceEquals(change.OrderId, orderId) ? change : change with { OrderId = orderId },
        };

        private OrderTrackingChanged Whole(Kept kept)
        {
            var at = new DateTimeOffset(kept.OccurredAtUtcTicks, TimeSpan.Zero);
            return kept.Change switch
            {
                OrderTrackingChanged whole => whole,
                LivePosition position => new(orderId, kept.Version, null, null, position, null, at),
                LiveEta eta => new(orderId, kept.Version, null, null, null, null, at, Eta: eta),
                var alerts => new(orderId, kept.Version, null, null, null, null, at, Alerts: (IReadOnlyList<AlertType>)alerts!),
            };
        }

        private ref Kept Slot(long version) => ref _slots[(int)((ulong)version % (ulong)_slots.Length)];
    }

    /// <summary>A delta as <see cref="History"/> keeps it: whole, or the one thing it changed.</summary>
    private readonly record struct Kept(object? Change, long Version, long OccurredAtUtcTicks)
    {
        public bool IsSet => Change is not null;
    }
}
