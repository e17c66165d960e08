using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Notifications.Settings;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>
/// One hub connection's bounded queue and the pump that drains it. Fan-out only ever <see cref="Enqueue"/>s (never
/// waits: when the queue is full the push is skipped and counted), and the pump sends in queue order, one at a time,
/// so a slow client slows nobody else. Per order it remembers the last version sent: it never sends a version the
/// client already has, and when it sees a gap (pushes skipped while full) it fills it from the delta history, or with a
/// snapshot when the history no longer reaches back.
/// </summary>
internal sealed class SubscriberConnection : IAsyncDisposable
{
    /// <summary>
    /// The pooled buffer deltas are gathered in: a drain's deltas usually fit (a few hundred bytes each); a longer one (a
    /// client catching up) goes out in several writes. A write waiting on a slow client holds its buffer until it is taken.
    /// </summary>
    private const int ReadyBufferSize = 4 * 1024;

    private readonly HubConnectionContext _connection;
    private readonly DeltaLog _log;
    private readonly OrderDirectory _directory;
    private readonly IServiceScopeFactory _scopes;
    private readonly NotificationsOptions _options;
    private readonly Shared.Observability.ServiceMetrics _metrics;
    private readonly Prometheus.Counter.Child _updatesPushed;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<Push> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    // What the client asked for (written by hub calls, read by fan-out).
    private readonly ConcurrentDictionary<string, OrderViewer> _orders = new(StringComparer.Ordinal);
    private volatile string? _riderId;
    private volatile StrongBox<string?>? _fleet;

    // What the client has been sent (the pump's alone).
    private readonly Dictionary<string, Followed> _followed = new(StringComparer.Ordinal);
    private long _skipped;
    private int _overflowed;

    // Deltas ready to go (the pump's alone): their bytes, written to the client together when the pump has drained its
    // queue or has anything else to send, so the deltas it drains together reach the client in one write and one flush.
    private byte[]? _ready;
    private int _readyLength;
    private int _readyCount;

    public SubscriberConnection(
        HubConnectionContext connection,
        string? userId,
        DeltaLog log,
        OrderDirectory directory,
        IServiceScopeFactory scopes,
        NotificationsOptions options,
        Shared.Observability.ServiceMetrics metrics,
        TimeProvider clock,
        ILogger logger)
    {
        _metrics = metrics;
        _updatesPushed = metrics.Pushes.WithLabels(ClientMethods.OrderUpdated);
        _clock = clock;
        _connection = connection;
        UserId = userId;
        _log = log;
        _directory = directory;
        _scopes = scopes;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<Push>(new BoundedChannelOptions(options.QueueCapacityPerConnection)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _pump = Task.Run(PumpAsync);
    }

    public string ConnectionId => _connection.ConnectionId;

    /// <summary>The caller's id from their token.</summary>
    public string? UserId { get; }

    public IEnumerable<string> Orders => _orders.Keys;

    public string? RiderId => _riderId;

    public bool FollowsFleet => _fleet is not null;

    public string? FleetWarehouse => _fleet?.Value;

    /// <summary>Pushes skipped because this connection's queue was full.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public void Enqueue(Push push)
    {
        if (!_queue.Writer.TryWrite(push))
        {
            Interlocked.Increment(ref _skipped);
            Volatile.Write(ref _overflowed, 1);
        }
    }

    public void FollowOrder(string orderId, OrderViewer viewer, long? have)
    {
        _orders[orderId] = viewer;
        Enqueue(new Push.CatchUp(orderId, viewer, have));
    }

    public void UnfollowOrder(string orderId) => _orders.TryRemove(orderId, out _);

    /// <summary>The view this connection follows the order with directly, if it does.</summary>
    public OrderViewer? ViewOf(string orderId) => _orders.TryGetValue(orderId, out var viewer) ? viewer : null;

    /// <summary>Stops following the order because the caller may no longer see it; the client is told in queue order.</summary>
    public void Revoke(string orderId)
    {
        _orders.TryRemove(orderId, out _);
        Enqueue(new Push.Revoked(orderId));
    }

    public void FollowRider(string riderId)
    {
        _riderId = riderId;
        Enqueue(new Push.RiderCatchUp(riderId));
    }

    public void FollowFleet(string? warehouseId)
    {
        _fleet = new StrongBox<string?>(warehouseId);
        Enqueue(new Push.FleetCatchUp(warehouseId));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
            // Stopped while sending.
        }

        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token))
            {
                while (_queue.Reader.TryRead(out var push))
                {
                    await Guarded(token => HandleAsync(push, token));
                }

                await Guarded(WriteReadyAsync);

                // Pushes were skipped while the queue was full: now that it has drained, bring every followed order
                // up to date (from the history, or a snapshot), so the client converges without waiting for the next change.
                if (Interlocked.Exchange(ref _overflowed, 0) == 1)
                {
                    foreach (var (orderId, followed) in _followed.ToList())
                    {
                        await Guarded(token => CatchUpAsync(orderId, followed.Viewer, followed.LastSent, token));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disconnected.
        }
        finally
        {
            if (_ready is { } ready)
            {
                _ready = null;
                ArrayPool<byte>.Shared.Return(ready);
            }
        }
    }

    private async Task Guarded(Func<CancellationToken, Task> work)
    {
        try
        {
            await work(_stop.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Push to connection {ConnectionId} failed", ConnectionId);
        }
    }

    private Task HandleAsync(Push push, CancellationToken cancellationToken) => push switch
    {
        Push.Delta delta => OnDeltaAsync(delta.Change, cancellationToken),
        Push.CatchUp catchUp => OnFollowAsync(catchUp.OrderId, catchUp.Viewer, Source.Order, catchUp.Have, cancellationToken),
        Push.RiderCatchUp rider => OnFollowManyAsync(OrderViewer.Rider, Source.Rider,
            (queries, token) => queries.ForRiderAsync(rider.RiderId, token), cancellationToken),
        Push.FleetCatchUp fleet => OnFollowManyAsync(OrderViewer.Ops, Source.Fleet,
            (queries, token) => queries.ActiveAsync(fleet.WarehouseId, token), cancellationToken),
        Push.Revoked revoked => OnRevokedAsync(revoked.OrderId, cancellationToken),
        Push.Beacon => OnBeaconAsync(cancellationToken),
        _ => Task.CompletedTask,
    };

    private async Task OnDeltaAsync(PushedChange change, CancellationToken cancellationToken)
    {
        if (!_followed.TryGetValue(change.OrderId, out var followed))
        {
            // An explicitly followed order starts with its catch-up (queued at subscription, reading the history), so
            // its deltas wait for that. An order that became this rider's, or appeared in the fleet, starts here.
            if (_orders.ContainsKey(change.OrderId) || Through(change.OrderId) is not { } through)
            {
                return;
            }

            await OnFollowAsync(change.OrderId, through.Viewer, through.Source, null, cancellationToken);
            return;
        }

        if (followed.Source != Source.Order && Through(change.OrderId) is null)
        {
            // Reassigned to another rider, or no longer in the fleet view.
            _followed.Remove(change.OrderId);
            await SendAsync(ClientMethods.OrderRemoved, change.OrderId, cancellationToken);
            return;
        }

        if (followed.Source == Source.Order && !_orders.ContainsKey(change.OrderId))
        {
            _followed.Remove(change.OrderId);
            return;
        }

        if (change.Version <= followed.LastSent)
        {
            return;
        }

        if (change.Version > followed.LastSent + 1)
        {
            await CatchUpAsync(change.OrderId, followed.Viewer, followed.LastSent, cancellationToken, seen: change.Version);
            return;
        }

        await SendDeltaAsync(change, followed.Viewer, cancellationToken);
        if (change.Late)
        {
            // Newer changes came first and were held back for this one (their gap could not be filled then): send them now.
            foreach (var later in _log.After(change.OrderId, change.Version) ?? [])
            {
                await SendDeltaAsync(new PushedChange(later), followed.Viewer, cancellationToken);
            }
        }

        if (change.Change.Active == false && followed.Source != Source.Order)
        {
            _followed.Remove(change.OrderId);
        }
    }

    private async Task OnRevokedAsync(string orderId, CancellationToken cancellationToken)
    {
        if (_followed.Remove(orderId))
        {
            await SendAsync(ClientMethods.OrderRemoved, orderId, cancellationToken);
        }
    }

    private async Task OnFollowAsync(string orderId, OrderViewer viewer, Source source, long? have, CancellationToken cancellationToken)
    {
        if (_followed.TryGetValue(orderId, out var known) && Detail(known.Viewer) >= Detail(viewer))
        {
            // A resync of an order this connection already follows with at least this view (ops through the fleet, a
            // rider through their assignments): bring it up to date from what the client holds, in the view it has.
            _followed[orderId] = known with { LastSent = have ?? -1 };
            await CatchUpAsync(orderId, known.Viewer, have, cancellationToken);
            return;
        }

        _followed[_directory.Shared(orderId)] = new Followed(viewer, source, have ?? -1);
        await CatchUpAsync(orderId, viewer, have, cancellationToken);
    }

    private async Task OnFollowManyAsync(
        OrderViewer viewer,
        Source source,
        Func<ILiveOrderQueries, CancellationToken, Task<IReadOnlyList<LiveOrderSnapshot>>> load,
        CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var snapshots = await load(scope.ServiceProvider.GetRequiredService<ILiveOrderQueries>(), cancellationToken);
        _followed.EnsureCapacity(_followed.Count + snapshots.Count); // grown once, to the size needed (an ops map may follow hundreds)
        foreach (var snapshot in snapshots)
        {
            if (_followed.ContainsKey(snapshot.OrderId))
            {
                continue;
            }

            _followed[_directory.Shared(snapshot.OrderId)] = new Followed(viewer, source, -1);
            await SendSnapshotAsync(snapshot, viewer, null, cancellationToken);
        }
    }

    /// <summary>
    /// Brings one order from <paramref name="have"/> to the newest version known: the missed deltas when the history
    /// holds them all, otherwise a snapshot (unless the client already holds it) and any newer deltas. A version the
    /// order never reached is not believed: the client gets a snapshot, as one that holds nothing. A catch-up asked for
    /// by a change (<paramref name="seen"/>) gets a snapshot at least that new.
    /// </summary>
    private async Task CatchUpAsync(string orderId, OrderViewer viewer, long? have, CancellationToken cancellationToken, long seen = 0)
    {
        // A client that holds nothing (or was never sent anything) starts from a snapshot.
        if (have is >= 0 and var known && known <= (_log.Latest(orderId) ?? -1) && _log.After(orderId, known) is { } missed)
        {
            foreach (var change in missed)
            {
                await SendDeltaAsync(new PushedChange(change), viewer, cancellationToken);
            }

            return;
        }

        LiveOrderSnapshot? snapshot;
        await using (var scope = _scopes.CreateAsyncScope())
        {
            snapshot = await scope.ServiceProvider.GetRequiredService<ILiveOrderQueries>().GetAsync(orderId, seen, cancellationToken);
        }

        if (snapshot is null)
        {
            // Placed a moment ago: its live state is on its way, and its first delta will bring the snapshot.
            Forget(orderId);
            return;
        }

        if (have > Math.Max(snapshot.Version, _log.Latest(orderId) ?? -1))
        {
            // Ahead of the order itself (a client's stale or made-up claim): start it over from the snapshot.
            Forget(orderId);
            have = null;
        }

        await SendSnapshotAsync(snapshot, viewer, have, cancellationToken);
    }

    private async Task SendSnapshotAsync(LiveOrderSnapshot snapshot, OrderViewer viewer, long? have, CancellationToken cancellationToken)
    {
        if (have is null || snapshot.Version > have)
        {
            await Send(OrderViews.Snapshot(snapshot, viewer), cancellationToken);
            Sent(snapshot.OrderId, snapshot.Version);
        }

        foreach (var change in _log.After(snapshot.OrderId, LastSent(snapshot.OrderId)) ?? [])
        {
            await SendDeltaAsync(new PushedChange(change), viewer, cancellationToken);
        }
    }

    private async Task SendDeltaAsync(PushedChange change, OrderViewer viewer, CancellationToken cancellationToken)
    {
        if (change.Version <= LastSent(change.OrderId))
        {
            return;
        }

        var bytes = change.MessageFor(viewer).GetSerializedMessage(_connection.Protocol);
        if (_ready is not null && _readyLength + bytes.Length > _ready.Length)
        {
            await WriteReadyAsync(cancellationToken);
        }

        _ready ??= ArrayPool<byte>.Shared.Rent(Math.Max(ReadyBufferSize, bytes.Length));
        bytes.Span.CopyTo(_ready.AsSpan(_readyLength));
        _readyLength += bytes.Length;
        _readyCount++;
        Sent(change.OrderId, change.Version);
        if (change.Change.ReportedAt is { } reportedAt)
        {
            _metrics.IngestToPush.Observe(Math.Max(0, (_clock.GetUtcNow() - reportedAt).TotalSeconds));
        }
    }

    private async Task OnBeaconAsync(CancellationToken cancellationToken)
    {
        if (_followed.Count == 0)
        {
            return;
        }

        // The order's own version: the newest this process has seen, or what the client was sent (a version it was
        // given, never one it claimed).
        var versions = _followed.ToDictionary(f => f.Key, f => Math.Max(_log.Latest(f.Key) ?? 0, f.Value.LastSent), StringComparer.Ordinal);
        await SendAsync(ClientMethods.Versions, versions, cancellationToken);
    }

    private Task Send(OrderUpdate update, CancellationToken cancellationToken) => SendAsync(ClientMethods.OrderUpdated, update, cancellationToken);

    /// <summary>Writes the deltas made ready, in one message of the connection's protocol (which carries any number).</summary>
    private async Task WriteReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready is not { } ready)
        {
            return;
        }

        var length = _readyLength;
        var count = _readyCount;
        _ready = null;
        _readyLength = 0;
        _readyCount = 0;
        try
        {
            await _connection.WriteAsync(
                new SerializedHubMessage([new SerializedMessage(_connection.Protocol.Name, ready.AsMemory(0, length))]), cancellationToken);
            _updatesPushed.Inc(count);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(ready);
        }
    }

    /// <summary>Every message to the client but the shared deltas goes here (after the deltas made ready), and is counted.</summary>
    private async Task SendAsync(string method, object message, CancellationToken cancellationToken)
    {
        await WriteReadyAsync(cancellationToken);
        await _connection.WriteAsync(PushedChange.Message(method, message), cancellationToken);
        _metrics.Pushes.WithLabels(method).Inc();
    }

    /// <summary>Whether the order reaches this connection through its rider or fleet subscription, and with which view.</summary>
    private (OrderViewer Viewer, Source Source)? Through(string orderId)
    {
        var parties = _directory.Find(orderId);
        if (_riderId is { } riderId && parties?.RiderId == riderId)
        {
            return (OrderViewer.Rider, Source.Rider);
        }

        if (_fleet is { } fleet && (fleet.Value is null || parties?.WarehouseId == fleet.Value))
        {
            return (OrderViewer.Ops, Source.Fleet);
        }

        return null;
    }

    /// <summary>How much of an order a view shows, least first (the enum's values are names, not an order).</summary>
    private static int Detail(OrderViewer viewer) => viewer switch
    {
        OrderViewer.Shared => 0,
        OrderViewer.Customer => 1,
        OrderViewer.Rider => 2,
        OrderViewer.Warehouse => 3,
        _ => 4,
    };

    private enum Source
    {
        Order,
        Rider,
        Fleet,
    }

    /// <summary>The newest version the client was sent of a followed order; -1 when none (nor when not followed).</summary>
    private long LastSent(string orderId) => _followed.TryGetValue(orderId, out var followed) ? followed.LastSent : -1;

    /// <summary>The client holds nothing of the order that the server vouches for.</summary>
    private void Forget(string orderId) => Sent(orderId, -1);

    private void Sent(string orderId, long version)
    {
        ref var followed = ref CollectionsMarshal.GetValueRefOrNullRef(_followed, orderId);
        if (!Unsafe.IsNullRef(ref followed))
        {
            followed = followed with { LastSent = version };
        }
    }

    /// <summary>
    /// How the connection follows an order and what it was sent of it. A value in the map, not an object of its own:
    /// an ops map follows every active order of its fleet, and this is most of what each costs it.
    /// </summary>
    private readonly record struct Followed(OrderViewer Viewer, Source Source, long LastSent);
}
