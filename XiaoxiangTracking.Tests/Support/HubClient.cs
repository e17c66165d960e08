using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace XiaoxiangTracking.Tests.Support;

/// <summary>A rider position as a hub client receives it.</summary>
public sealed record PositionMessage(double Latitude, double Longitude, DateTimeOffset FixTime, double? Speed, double? Heading);

/// <summary>An arrival estimate as a hub client receives it.</summary>
public sealed record EtaMessage(DateTimeOffset EstimatedAt, DateTimeOffset Earliest, DateTimeOffset Latest, bool Learned, string? Confidence = null);

/// <summary>The hub's <c>OrderUpdated</c> message as a client reads it.</summary>
public sealed record OrderUpdateMessage(
    string OrderId,
    long TrackingVersion,
    bool Snapshot,
    int? Status,
    string? RiderId,
    PositionMessage? Position,
    bool? Active,
    string? DeliveryAddress,
    string? CustomerId,
    string? WarehouseId,
    IReadOnlyList<string>? Alerts,
    EtaMessage? Eta,
    PlaceMessage? Destination = null,
    IReadOnlyList<string>? Cleared = null,
    bool? Collected = null);

/// <summary>A place on the map as the hub sends it.</summary>
public sealed record PlaceMessage(double Latitude, double Longitude);

/// <summary>An order as a client holds it after applying the updates it received.</summary>
public sealed record ClientOrderState(
    long Version, int? Status, string? RiderId, PositionMessage? Position, bool? Active, IReadOnlyList<string>? Alerts = null, EtaMessage? Eta = null,
    bool? Collected = null);

/// <summary>
/// A real SignalR client of <c>/hubs/tracking</c> on the test host, behaving as docs/api.md tells client authors to:
/// a snapshot replaces the order, the next version's delta is applied, an older one ignored, and a gap (or a
/// <c>Versions</c> heartbeat ahead of it) answered by subscribing again with the version it holds. Everything received
/// is kept in order for assertions.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<OrderUpdateMessage> _received = new();
    private readonly ConcurrentQueue<string> _removed = new();
    private readonly ConcurrentDictionary<string, ClientOrderState> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _subscribed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _handling = new(1, 1);
    private volatile bool _disposed;
    private int _reconnections;

    private HubClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<OrderUpdateMessage>("OrderUpdated", OnUpdateAsync);
        connection.On<string>("OrderRemoved", orderId => _removed.Enqueue(orderId));
        connection.On<Dictionary<string, long>>("Versions", OnVersionsAsync);
    }

    public HubConnection Connection { get; }

    public IReadOnlyList<OrderUpdateMessage> Received => [.. _received];

    public IReadOnlyList<string> Removed => [.. _removed];

    /// <summary>When set, an update matching it is dropped as if lost on the way (to test convergence).</summary>
    public Func<OrderUpdateMessage, bool>? Lose { get; set; }

    public int Resyncs { get; private set; }

    /// <summary>How often the client connected again and followed its orders from the versions it held.</summary>
    public int Reconnections => _reconnections;

    /// <summary>Connects as <paramref name="caller"/> (ops unless told otherwise), or with <paramref name="token"/>.</summary>
    public static async Task<HubClient> ConnectAsync(
        TrackingHostFactory host,
        HttpTransportType transports = HttpTransportType.WebSockets,
        bool messagePack = false,
        TestCaller? caller = null,
        string? token = null)
    {
        var builder = Builder(host, transports, caller, token);
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }

        var client = new HubClient(builder.Build());
        await client.Connection.StartAsync();
        return client;
    }

    /// <summary>
    /// A hub connection to the test host as <paramref name="caller"/> (ops unless told otherwise), or with a token of its
    /// own (a share link's), not yet built.
    /// </summary>
    public static IHubConnectionBuilder Builder(
        TrackingHostFactory host, HttpTransportType transports = HttpTransportType.WebSockets, TestCaller? caller = null, string? token = null)
    {
        token ??= host.TokenFor(caller ?? TestCaller.DefaultOps);
        return new HubConnectionBuilder().WithUrl(new Uri(host.Server.BaseAddress, "/hubs/tracking"), options =>
        {
            options.Transports = transports;
            options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            options.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
            // As a browser does: a WebSocket request carries the token in the query string, not in a header.
            options.WebSocketFactory = async (context, cancellationToken) =>
                await host.Server.CreateWebSocketClient().ConnectAsync(
                    new Uri($"{context.Uri}&access_token={Uri.EscapeDataString(token)}"), cancellationToken);
        });
    }

    /// <summary>
    /// Connects to a server over the network as the pages do (live.js): after a lost connection it reconnects at
    /// once, then after 1, 2, 4, 8 and every 10 s, and follows again every order it holds from the version it holds;
    /// if the connection closes for good it starts over 2 s later.
    /// </summary>
    public static async Task<HubClient> ConnectAsync(Uri server, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/tracking"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .WithAutomaticReconnect(new LikeThePages())
            .Build();
        var client = new HubClient(connection);
        connection.Reconnected += _ => client.FollowAgainAsync();
        connection.Closed += _ => client.StartOverAsync();
        await connection.StartAsync();
        return client;
    }

    /// <summary>Follows an order; with <paramref name="lastVersion"/>, as a client that kept the order at that version (e.g. across an app restart).</summary>
    public Task SubscribeOrderAsync(string orderId, long? lastVersion = null)
    {
        _subscribed[orderId] = 0;
        if (lastVersion is { } kept)
        {
            _orders.TryAdd(orderId, new ClientOrderState(kept, null, null, null, null));
        }

        return Connection.InvokeAsync("SubscribeOrder", orderId, lastVersion);
    }

    /// <summary>Follows an order again from the whole state a client kept of it (after a reconnect or an app restart).</summary>
    public Task SubscribeOrderAsync(string orderId, ClientOrderState held)
    {
        _subscribed[orderId] = 0;
        _orders[orderId] = held;
        return Connection.InvokeAsync("SubscribeOrder", orderId, held.Version);
    }

    public ClientOrderState? State(string orderId) => _orders.GetValueOrDefault(orderId);

    /// <summary>Waits (bounded) until the client holds the order at <paramref name="version"/> or later.</summary>
    public Task<ClientOrderState> WaitForVersion(string orderId, long version) =>
        Eventually.Until(() => Task.FromResult(State(orderId) is { } state && state.Version >= version ? state : null));

    public IReadOnlyList<OrderUpdateMessage> For(string orderId) => [.. _received.Where(u => u.OrderId == orderId)];

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await Connection.DisposeAsync();
    }

    private async Task FollowAgainAsync()
    {
        Interlocked.Increment(ref _reconnections);
        foreach (var orderId in _subscribed.Keys)
        {
            await Connection.InvokeAsync("SubscribeOrder", orderId, State(orderId)?.Version);
        }
    }

    private async Task StartOverAsync()
    {
        while (!_disposed)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            try
            {
                await Connection.StartAsync();
                await FollowAgainAsync();
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException
                or System.Net.WebSockets.WebSocketException or OperationCanceledException or Microsoft.AspNetCore.SignalR.HubException)
            {
                // Still unreachable: try again.
            }
        }
    }

    private sealed class LikeThePages : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            TimeSpan.FromSeconds(retryContext.PreviousRetryCount switch { 0 => 0, 1 => 1, 2 => 2, 3 => 4, 4 => 8, _ => 10 });
    }

    private async Task OnUpdateAsync(OrderUpdateMessage update)
    {
        if (Lose?.Invoke(update) == true)
        {
            Lose = null;
            return;
        }

        _received.Enqueue(update);
        await _handling.WaitAsync();
        try
        {
            var held = State(update.OrderId);
            if (update.Snapshot)
            {
                _orders[update.OrderId] = new(update.TrackingVersion, update.Status, update.RiderId, update.Position, update.Active, update.Alerts, update.Eta,
                    update.Collected);
            }
            else if (held is not null && update.TrackingVersion == held.Version + 1)
            {
                var cleared = update.Cleared ?? [];
                _orders[update.OrderId] = new(update.TrackingVersion, update.Status ?? held.Status, update.RiderId ?? held.RiderId,
                    cleared.Contains("position") ? null : update.Position ?? held.Position, update.Active ?? held.Active,
                    update.Alerts ?? held.Alerts, cleared.Contains("eta") ? null : update.Eta ?? held.Eta, update.Collected ?? held.Collected);
            }
            else if (held is null || update.TrackingVersion > held.Version + 1)
            {
                await ResyncAsync(update.OrderId, held?.Version);
            }
        }
        finally
        {
            _handling.Release();
        }
    }

    private async Task OnVersionsAsync(Dictionary<string, long> versions)
    {
        foreach (var (orderId, version) in versions)
        {
            if (_subscribed.ContainsKey(orderId) && (State(orderId)?.Version ?? -1) < version)
            {
                await ResyncAsync(orderId, State(orderId)?.Version);
            }
        }
    }

    private Task ResyncAsync(string orderId, long? held)
    {
        Resyncs++;
        // Not awaited inside a handler: the hub answers through the same connection.
        _ = Connection.InvokeAsync("SubscribeOrder", orderId, held);
        return Task.CompletedTask;
    }
}
