using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace XiaoxiangTracking.Bench;

/// <summary>
/// What one fan-out measurement gave: the rate and this process's CPU per message (the clients', and for the bare hub the
/// hub's too); for the host also its CPU per message and its managed heap per connection, connected and after the load.
/// </summary>
internal sealed record FanoutResult(
    double MessagesPerSecond,
    double BenchCpuMicrosecondsPerMessage,
    double? CpuMicrosecondsPerMessage = null,
    LiveHeap? PerConnection = null,
    LiveHeap? PerConnectionAfterLoad = null,
    double? OrdersPerConnection = null);

/// <summary>
/// Pushes per second to <c>connections</c> WebSocket clients: from a bare SignalR hub in this process that broadcasts a
/// delta-sized message as fast as it can (the hub ceiling), and from the host, where every connection is an ops map
/// following the fleet and riders of delivering orders report as fast as they are answered. Each connects, measures and
/// disconnects in turn, so that a round pairs the two within the same minute.
/// </summary>
internal static class Fanout
{
    /// <summary>A position delta as the hub sends it, for the bare hub to broadcast.</summary>
    private static readonly object Delta = new
    {
        orderId = "01a2354268d77a9c9b1f5d3f0f4c9e11",
        trackingVersion = 42,
        snapshot = false,
        position = new { latitude = 31.221234, longitude = 121.541234, fixTime = DateTimeOffset.UtcNow, speed = 4.5, heading = 90.0 },
        eta = new { estimatedAt = DateTimeOffset.UtcNow, earliest = DateTimeOffset.UtcNow, latest = DateTimeOffset.UtcNow, learned = false },
    };

    public static async Task<FanoutResult> BareHubAsync(int connections, TimeSpan warmUp, TimeSpan duration)
    {
        var port = HostProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<BareHub>("/hubs/bare");
        await app.StartAsync();
        try
        {
            var clients = await ConnectAsync(connections, new Uri($"http://127.0.0.1:{port}/hubs/bare"), null, _ => Task.CompletedTask);
            var hub = app.Services.GetRequiredService<IHubContext<BareHub>>();
            var clock = Stopwatch.StartNew();
            var received = 0L;
            var cpuBefore = TimeSpan.Zero;
            var measuredFrom = TimeSpan.Zero;
            while (clock.Elapsed < warmUp + duration)
            {
                if (measuredFrom == TimeSpan.Zero && clock.Elapsed >= warmUp)
                {
                    measuredFrom = clock.Elapsed;
                    received = clients.Received;
                    cpuBefore = BenchCpu();
                }

                await hub.Clients.All.SendAsync("OrderUpdated", Delta, CancellationToken.None);
            }

            var messages = clients.Received - received;
            var rate = messages / (clock.Elapsed - measuredFrom).TotalSeconds;
            var cpuPerMessage = (BenchCpu() - cpuBefore).TotalMicroseconds / messages;
            await clients.DisposeAsync();
            return new FanoutResult(rate, cpuPerMessage);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The riders of the phase, each delivering an order of its own (made once, for every round).</summary>
    public static async Task<Riders> DeliveringAsync(HostProcess host, int riders)
    {
        using var handler = HostRequests.Handler();
        var ops = host.Client("ops", "bench-fanout-ops", handler);
        var fleet = new Riders("bench-fanout", riders);
        for (var r = 0; r < riders; r++)
        {
            await Scenario.DeliveringOrderAsync(ops, fleet.Id(r), $"c-bench-fanout-{r:D3}");
        }

        return fleet;
    }

    /// <summary>
    /// One round on the host: the maps connect and follow the fleet, the riders report as fast as they are answered, the
    /// maps disconnect. With <paramref name="heap"/>, the host's managed heap per connection too (connected, and after the load).
    /// </summary>
    public static async Task<FanoutResult> HostAsync(HostProcess host, Riders fleet, int connections, TimeSpan warmUp, TimeSpan duration, bool heap)
    {
        using var handler = HostRequests.Handler();
        var heapBefore = heap ? await host.LiveHeapAsync() : null;
        var token = host.Token("ops", "bench-fanout-map");
        var clients = await ConnectAsync(connections, new Uri(host.BaseAddress, "/hubs/tracking"), token,
            hub => hub.InvokeAsync("SubscribeFleet", (string?)null));
        // Snapshots of the fleet's active orders arrive first; count from when they are all in.
        long received;
        do
        {
            received = clients.Received;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        while (clients.Received != received);

        var perConnection = await PerConnectionAsync();
        var followed = received / (double)connections; // one snapshot per active order

        var reporters = host.RiderClients(fleet, handler);
        var reporting = Load.SaturateAsync(r => reporters[r], fleet, fleet.Count, warmUp, duration);
        await Task.Delay(warmUp);
        received = clients.Received;
        var cpuBefore = host.CpuSeconds();
        var clientCpuBefore = BenchCpu();
        var clock = Stopwatch.StartNew();
        await reporting;
        var messages = clients.Received - received;
        var cpuPerMessage = (host.CpuSeconds() - cpuBefore) * 1e6 / messages;
        var clientCpuPerMessage = (BenchCpu() - clientCpuBefore).TotalMicroseconds / messages;
        var rate = messages / clock.Elapsed.TotalSeconds;
        // And once they have carried the traffic: the transport's buffer pool is then at the size the load needed.
        var perConnectionAfterLoad = await PerConnectionAsync();
        await clients.DisposeAsync();
        // The next round or phase measures too: wait until the host has let go of every connection.
        for (var waited = Stopwatch.StartNew(); await host.MetricAsync(HostProcess.HubConnections) > 0 && waited.Elapsed < TimeSpan.FromSeconds(30);)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        return new FanoutResult(rate, clientCpuPerMessage, cpuPerMessage, perConnection, perConnectionAfterLoad, followed);

        async Task<LiveHeap?> PerConnectionAsync()
        {
            if (heapBefore is null)
            {
                return null;
            }

            var now = await host.LiveHeapAsync();
            return new LiveHeap((now.Objects - heapBefore.Objects) / connections, (now.Pinned - heapBefore.Pinned) / connections);
        }
    }

    /// <summary>This process's CPU: the clients' (and the reporters'), and for the bare hub the hub's too.</summary>
    private static TimeSpan BenchCpu() => Process.GetCurrentProcess().TotalProcessorTime;

    private static async Task<Listeners> ConnectAsync(int count, Uri hub, string? token, Func<HubConnection, Task> subscribe)
    {
        var listeners = new Listeners();
        for (var i = 0; i < count; i++)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(hub, options =>
                {
                    options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                    options.SkipNegotiation = true;
                    if (token is not null)
                    {
                        options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                    }
                })
                .Build();
            connection.On<System.Text.Json.JsonElement>("OrderUpdated", _ => listeners.Count());
            await connection.StartAsync();
            await subscribe(connection);
            listeners.Connections.Add(connection);
        }

        return listeners;
    }

    private sealed class Listeners : IAsyncDisposable
    {
        private long _received;

        public List<HubConnection> Connections { get; } = [];

        public long Received => Interlocked.Read(ref _received);

        public void Count() => Interlocked.Increment(ref _received);

        public async ValueTask DisposeAsync()
        {
            foreach (var connection in Connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class BareHub : Hub;
}
