using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Notifications.Settings;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>
/// The hub's connections and what each follows — single orders, a rider's assignments, the fleet (optionally one
/// warehouse) — indexed so fan-out finds the connections interested in a delta without scanning them all, and hands
/// the delta to each one's queue without waiting.
/// </summary>
internal sealed class Subscribers(
    IConnections connections,
    DeltaLog log,
    OrderDirectory directory,
    IServiceScopeFactory scopes,
    IOptions<NotificationsOptions> options,
    Shared.Observability.ServiceMetrics metrics,
    TimeProvider clock,
    ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<string, SubscriberConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, SubscriberConnection>> _byOrder = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, SubscriberConnection>> _byRider = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SubscriberConnection> _fleet = new(StringComparer.Ordinal);

    // Subscribing and leaving are rare next to deltas: they take this lock, so an index entry emptied by one connection
    // is never removed while another is being added to it; fan-out reads the indexes without it.
    private readonly Lock _indexGate = new();

    [ThreadStatic]
    private static HashSet<SubscriberConnection>? t_interested;

    public IEnumerable<SubscriberConnection> All => _connections.Values;

    public void Connect(string connectionId, string? userId) =>
        _connections[connectionId] = new SubscriberConnection(
            connections.Find(connectionId) ?? throw new HubException("The connection is closing."), userId, log, directory, scopes,
            options.Value, metrics, clock, loggers.CreateLogger<SubscriberConnection>());

    public async Task DisconnectAsync(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var connection))
        {
            return;
        }

        lock (_indexGate)
        {
            foreach (var orderId in connection.Orders)
            {
                Remove(_byOrder, orderId, connectionId);
            }

            if (connection.RiderId is { } riderId)
            {
                Remove(_byRider, riderId, connectionId);
            }

            _fleet.TryRemove(connectionId, out _);
        }

        await connection.DisposeAsync();
    }

    public void FollowOrder(string connectionId, string orderId, OrderViewer viewer, long? have)
    {
        var connection = Connection(connectionId);
        lock (_indexGate)
        {
            _byOrder.GetOrAdd(orderId, _ => new(StringComparer.Ordinal))[connectionId] = connection;
        }

        connection.FollowOrder(orderId, viewer, have);
    }

    public void UnfollowOrder(string connectionId, string orderId)
    {
        lock (_indexGate)
        {
            Remove(_byOrder, orderId, connectionId);
        }

        Connection(connectionId).UnfollowOrder(orderId);
    }

    public void FollowRider(string connectionId, string riderId)
    {
        var connection = Connection(connectionId);
        lock (_indexGate)
        {
            if (connection.RiderId is { } previous)
            {
                Remove(_byRider, previous, connectionId);
            }

            _byRider.GetOrAdd(riderId, _ => new(StringComparer.Ordinal))[connectionId] = connection;
        }

        connection.FollowRider(riderId);
    }

    public void FollowFleet(string connectionId, string? warehouseId)
    {
        var connection = Connection(connectionId);
        _fleet[connectionId] = connection;
        connection.FollowFleet(warehouseId);
    }

    /// <summary>Hands the delta to every connection following the order directly, through its rider (before or after) or its warehouse.</summary>
    public void Publish(PushedChange change, OrderParties? before)
    {
        // One set per publishing thread, emptied after use: an ops map per connection makes it as large as the fleet's
        // maps, which a new set would grow to for every delta.
        var interested = t_interested ??= new HashSet<SubscriberConnection>(ReferenceEqualityComparer.Instance);
        try
        {
            Collect(change, before, interested);
            var push = new Push.Delta(change);
            foreach (var connection in interested)
            {
                connection.Enqueue(push);
            }
        }
        finally
        {
            interested.Clear();
        }
    }

    private void Collect(PushedChange change, OrderParties? before, HashSet<SubscriberConnection> interested)
    {
        var now = directory.Find(change.OrderId) ?? before;
        // The indexes are enumerated, not read through .Values, which locks the whole dictionary to copy it.
        if (_byOrder.TryGetValue(change.OrderId, out var followers))
        {
            RevokeReplacedRider(change.OrderId, followers, before?.RiderId, now?.RiderId);
            foreach (var (_, follower) in followers)
            {
                interested.Add(follower);
            }
        }

        foreach (var riderId in new[] { now?.RiderId, before?.RiderId })
        {
            if (riderId is not null && _byRider.TryGetValue(riderId, out var riders))
            {
                foreach (var (_, rider) in riders)
                {
                    interested.Add(rider);
                }
            }
        }

        foreach (var (_, ops) in _fleet)
        {
            if (ops.FleetWarehouse is not { } warehouseId || warehouseId == now?.WarehouseId)
            {
                interested.Add(ops);
            }
        }
    }

    /// <summary>
    /// A reassignment takes the order away from the old rider at once: connections of that rider following it directly
    /// with the rider view stop following it and are told so, before the change that made it someone else's.
    /// </summary>
    private void RevokeReplacedRider(
        string orderId, ConcurrentDictionary<string, SubscriberConnection> followers, string? oldRiderId, string? newRiderId)
    {
        if (oldRiderId is null || oldRiderId == newRiderId)
        {
            return;
        }

        foreach (var (_, follower) in followers)
        {
            if (follower.UserId == oldRiderId && follower.ViewOf(orderId) == OrderViewer.Rider)
            {
                lock (_indexGate)
                {
                    Remove(_byOrder, orderId, follower.ConnectionId);
                }

                follower.Revoke(orderId);
            }
        }
    }

    private SubscriberConnection Connection(string connectionId) =>
        _connections.TryGetValue(connectionId, out var connection)
            ? connection
            : throw new HubException("The connection is closing.");

    private static void Remove(
        ConcurrentDictionary<string, ConcurrentDictionary<string, SubscriberConnection>> index, string key, string connectionId)
    {
        if (index.TryGetValue(key, out var connections))
        {
            connections.TryRemove(connectionId, out _);
            if (connections.IsEmpty)
            {
                index.TryRemove(key, out _);
            }
        }
    }
}
