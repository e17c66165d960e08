using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace XiaoxiangTracking.Bench;

/// <summary>
/// What a closed loop of reporters achieved against one endpoint, and how busy the machine's CPUs were meanwhile (0 to 1,
/// every process on it): near 1 the run is bound by CPU, clearly under it by something it waits on (a commit's sync).
/// </summary>
internal sealed record Throughput(double PerSecond, Samples Reply, long Accepted, long Refused, long Failed, double MachineBusy)
{
    /// <summary>"machine 93 % busy".</summary>
    public string Machine => $"machine {MachineBusy:P0} busy";
}

/// <summary>The machine's CPU time from <c>/proc/stat</c>: busy and all, in clock ticks, over every CPU.</summary>
internal readonly record struct MachineCpu(long Busy, long Total)
{
    public static MachineCpu Now()
    {
        // "cpu  user nice system idle iowait irq softirq steal ...": idle and iowait are the time not busy.
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var total = ticks.Sum();
        return new MachineCpu(total - ticks[3] - ticks[4], total);
    }

    /// <summary>The share of the machine's CPU time that was busy since <paramref name="before"/>.</summary>
    public static double BusySince(MachineCpu before)
    {
        var now = Now();
        return now.Total == before.Total ? 0 : (now.Busy - before.Busy) / (double)(now.Total - before.Total);
    }
}

/// <summary>How the reports were answered: accepted (2xx), refused (503, the host is saturated) or failed.</summary>
internal sealed class Outcomes
{
    private long _accepted;
    private long _refused;
    private long _failed;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Refused => Interlocked.Read(ref _refused);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Counts the answer; true when the report was accepted.</summary>
    public bool Record(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _accepted);
            return true;
        }

        Interlocked.Increment(ref response.StatusCode == HttpStatusCode.ServiceUnavailable ? ref _refused : ref _failed);
        return false;
    }

    public void Unanswered() => Interlocked.Increment(ref _failed);
}

/// <summary>
/// Simulated riders: each moves along its own line at a plausible speed and reports fixes stamped now, with one token
/// for all its reports, as a rider's app keeps its token for the shift.
/// </summary>
internal sealed class Riders(string prefix, int count)
{
    private readonly long[] _sequence = new long[count];
    private readonly string?[] _tokens = new string?[count];

    public int Count => count;

    public string Id(int rider) => $"{prefix}-{rider:D6}";

    /// <summary>The rider's token, made by <paramref name="host"/> the first time (hosts on the same data share its key).</summary>
    public string Token(HostProcess host, int rider) => _tokens[rider] ??= host.Token("rider", Id(rider));

    public PositionReport Next(int rider)
    {
        var n = Interlocked.Increment(ref _sequence[rider]);
        // About 1 m further north per report, each rider on its own meridian near the demo warehouse.
        return new PositionReport(Id(rider), $"p{n}", DateTimeOffset.UtcNow, 31.20 + (n * 9e-6), 121.45 + (rider * 1e-4), 8, 4.5, 0);
    }
}

internal static class Load
{
    /// <summary>A client signed in as each rider of <paramref name="fleet"/> with the rider's token, by rider index.</summary>
    public static HttpClient[] RiderClients(this HostProcess host, Riders fleet, HttpMessageHandler handler) =>
        [.. Enumerable.Range(0, fleet.Count).Select(r => host.Client(fleet.Token(host, r), handler))];

    /// <summary>
    /// Each rider of <paramref name="fleet"/> reports <paramref name="times"/> times, <paramref name="workers"/> at once;
    /// the connections are closed afterwards, so what the host keeps for them is not counted as anything else's. Returns
    /// how long the reports took and the host's CPU meanwhile (the riders' tokens made before either).
    /// </summary>
    public static async Task<(TimeSpan Elapsed, double HostCpuSeconds)> ReportEachAsync(HostProcess host, Riders fleet, int times, int workers = 64)
    {
        using var handler = HostRequests.Handler();
        var clients = host.RiderClients(fleet, handler);
        var cpuBefore = host.CpuSeconds();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, fleet.Count), new ParallelOptions { MaxDegreeOfParallelism = workers },
            async (rider, cancellationToken) =>
            {
                for (var i = 0; i < times; i++)
                {
                    using var response = await clients[rider].PostJsonAsync("/api/tracking/positions", fleet.Next(rider), cancellationToken);
                    response.EnsureSuccessStatusCode();
                }
            });
        return (clock.Elapsed, host.CpuSeconds() - cpuBefore);
    }

    /// <summary>
    /// <paramref name="workers"/> reporters, each sending its next report as soon as the last one is answered, for
    /// <paramref name="duration"/> after an unmeasured <paramref name="warmUp"/>: the most the endpoint sustains.
    /// </summary>
    public static async Task<Throughput> SaturateAsync(
        Func<int, HttpClient> clientFor, Riders riders, int workers, TimeSpan warmUp, TimeSpan duration, Func<int, object>? body = null)
    {
        var reply = new Samples();
        var outcomes = new Outcomes();
        var clock = Stopwatch.StartNew();
        var measuring = false;
        var measuredFrom = TimeSpan.Zero;

        async Task Work(int worker)
        {
            var client = clientFor(worker);
            while (clock.Elapsed < warmUp + duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostJsonAsync(body is null ? "/api/tracking/positions" : "/api/tracking/positions/batch",
                        body?.Invoke(worker) ?? riders.Next(worker));
                    if (!Volatile.Read(ref measuring))
                    {
                        continue;
                    }

                    reply.Add(Samples.Since(started));
                    outcomes.Record(response);
                }
                catch (HttpRequestException)
                {
                    outcomes.Unanswered();
                }
            }
        }

        var running = Enumerable.Range(0, workers).Select(w => Task.Run(() => Work(w))).ToList();
        await Task.Delay(warmUp);
        measuredFrom = clock.Elapsed;
        var cpu = MachineCpu.Now();
        Volatile.Write(ref measuring, true);
        await Task.WhenAll(running);
        var seconds = (clock.Elapsed - measuredFrom).TotalSeconds;
        return new Throughput(outcomes.Accepted / seconds, reply, outcomes.Accepted, outcomes.Refused, outcomes.Failed, MachineCpu.BusySince(cpu));
    }
}

/// <summary>What the paced scenario measured.</summary>
internal sealed record ScenarioResult(
    double AcceptedPerSecond,
    Samples Reply,
    Samples EndToEnd,
    long Expected,
    long Received,
    long Late,
    long Refused,
    long Failed,
    double CpuCores,
    double PeakMegabytes,
    PauseSummary HostCollections,
    PauseSummary BenchCollections,
    Tail Commits,
    Tail Pushes,
    Samples BenchPoolLag);

/// <summary>
/// One of the host's histograms (<c>/metrics</c>): how many it observed, and how many of those took longer than 16
/// and 128 ms (two of its bounds). The host's own view of a tail, beside what the bench's clients saw.
/// </summary>
internal sealed record Tail(double All, double Over16, double Over128)
{
    public static async Task<Tail> ReadAsync(HostProcess host, string histogram)
    {
        var metrics = await host.MetricsAsync();
        return new(metrics.Sum(histogram + "_count"), metrics.Above(histogram, 0.016), metrics.Above(histogram, 0.128));
    }

    public static Tail operator -(Tail after, Tail before) => new(after.All - before.All, after.Over16 - before.Over16, after.Over128 - before.Over128);

    public override string ToString() => $"{All:N0}, {Over16:N0} longer than 16 ms, {Over128:N0} longer than 128 ms";
}

/// <summary>
/// R riders reporting every 15 s divided by the compression, O of them delivering orders that a customer each follows
/// on the hub, plus one ops client following the whole fleet. Every push of a watched rider's fix is matched to the
/// moment the rider sent it.
/// </summary>
internal sealed class Scenario(HostProcess host, int riders, int orders, double compression, TimeSpan warmUp, TimeSpan duration)
{
    private readonly ConcurrentDictionary<(string OrderId, long FixTicks), long> _sent = new();
    private readonly Samples _endToEnd = new();
    private long _received;
    private long _late;

    public async Task<ScenarioResult> RunAsync()
    {
        var handler = HostRequests.Handler();
        var ops = host.Client("ops", "bench-ops", handler);
        var fleet = new Riders("bench-fleet", riders);
        var watched = new Dictionary<int, string>();
        for (var i = 0; i < orders; i++)
        {
            watched[i] = await DeliveringOrderAsync(ops, fleet.Id(i), $"c-bench-{i:D6}");
        }

        var connections = new List<HubConnection>();
        foreach (var (rider, orderId) in watched)
        {
            connections.Add(await ConnectAsync("customer", $"c-bench-{rider:D6}", hub => hub.InvokeAsync("SubscribeOrder", orderId, (long?)null)));
        }

        connections.Add(await ConnectAsync("ops", "bench-ops-map", hub => hub.InvokeAsync("SubscribeFleet", (string?)null)));

        var interval = TimeSpan.FromSeconds(15 / compression);
        var reply = new Samples();
        var outcomes = new Outcomes();
        long expected = 0;
        // As in the closed-loop phases, the warm-up (connections opened, code compiled) is not measured.
        var cpuBefore = 0.0;
        var clock = Stopwatch.StartNew();
        const int Senders = 512;

        async Task Send(int sender)
        {
            var mine = Enumerable.Range(0, riders).Where(r => r % Senders == sender).ToList();
            var clients = mine.ToDictionary(r => r, r => host.Client("rider", fleet.Id(r), handler));
            for (var round = 0; ; round++)
            {
                foreach (var rider in mine)
                {
                    var due = (interval * round) + (interval * rider / riders);
                    if (due >= warmUp + duration)
                    {
                        return;
                    }

                    var wait = due - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }

                    var report = fleet.Next(rider);
                    var started = Stopwatch.GetTimestamp();
                    var measured = due >= warmUp;
                    if (watched.TryGetValue(rider, out var orderId) && measured)
                    {
                        _sent[(orderId, report.FixTime.UtcTicks)] = started;
                    }

                    try
                    {
                        using var response = await clients[rider].PostJsonAsync("/api/tracking/positions", report);
                        if (!measured)
                        {
                            continue;
                        }

                        reply.Add(Samples.Since(started));
                        if (outcomes.Record(response) && orderId is not null)
                        {
                            Interlocked.Add(ref expected, 2); // its customer and the ops map
                        }
                    }
                    catch (HttpRequestException)
                    {
                        if (measured)
                        {
                            outcomes.Unanswered();
                        }
                    }
                }
            }
        }

        // The collections of both processes, to tell a tail they caused from one the machine's scheduling did.
        await using var hostPauses = new Pauses(host.ProcessId);
        await using var benchPauses = new Pauses(Environment.ProcessId);
        using var lag = new PoolLag();
        var sending = Task.WhenAll(Enumerable.Range(0, Math.Min(Senders, riders)).Select(s => Task.Run(() => Send(s))));
        await Task.Delay(warmUp);
        cpuBefore = host.CpuSeconds();
        hostPauses.Reset();
        benchPauses.Reset();
        lag.Start();
        var commits = await Tail.ReadAsync(host, HostProcess.CommitDuration);
        var pushes = await Tail.ReadAsync(host, HostProcess.IngestToPush);
        var measuredFrom = clock.Elapsed;
        await sending;
        var elapsed = (clock.Elapsed - measuredFrom).TotalSeconds;
        var cpu = host.CpuSeconds() - cpuBefore;
        var (hostCollections, benchCollections) = (hostPauses.Summary(), benchPauses.Summary());
        commits = await Tail.ReadAsync(host, HostProcess.CommitDuration) - commits;
        // Pushes still on their way count if they arrive within 2 s.
        await Task.Delay(TimeSpan.FromSeconds(2));
        pushes = await Tail.ReadAsync(host, HostProcess.IngestToPush) - pushes;
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        return new ScenarioResult(outcomes.Accepted / elapsed, reply, _endToEnd, expected,
            Interlocked.Read(ref _received), Interlocked.Read(ref _late), outcomes.Refused, outcomes.Failed, cpu / elapsed,
            host.PeakMegabytes(), hostCollections, benchCollections, commits, pushes, lag.Samples);
    }

    private async Task<HubConnection> ConnectAsync(string role, string subject, Func<HubConnection, Task> subscribe)
    {
        var token = host.Token(role, subject);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.BaseAddress, "/hubs/tracking"), options =>
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            .Build();
        connection.On<JsonElement>("OrderUpdated", OnUpdate);
        await connection.StartAsync();
        await subscribe(connection);
        return connection;
    }

    private void OnUpdate(JsonElement update)
    {
        if (!update.TryGetProperty("position", out var position) || position.ValueKind != JsonValueKind.Object
            || update.GetProperty("snapshot").GetBoolean())
        {
            return;
        }

        var key = (update.GetProperty("orderId").GetString()!, position.GetProperty("fixTime").GetDateTimeOffset().UtcTicks);
        if (_sent.TryGetValue(key, out var sentAt))
        {
            var milliseconds = Samples.Since(sentAt);
            _endToEnd.Add(milliseconds);
            Interlocked.Increment(ref _received);
            if (milliseconds > 1_000)
            {
                Interlocked.Increment(ref _late);
            }
        }
    }

    /// <summary>An order placed, paid and handed to <paramref name="riderId"/> by ops; its id.</summary>
    public static async Task<string> DeliveringOrderAsync(HttpClient ops, string riderId, string customerId)
    {
        var placed = await ops.PostAsJsonAsync("/api/orders", HostRequests.NewOrder(customerId));
        placed.EnsureSuccessStatusCode();
        var order = (await placed.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = order["id"]!.GetValue<string>();
        (await ops.PostAsJsonAsync($"/api/orders/{id}/pay", new { amount = order["totalAmount"]!.GetValue<decimal>(), paymentReference = "bench" }))
            .EnsureSuccessStatusCode();
        (await ops.PostAsJsonAsync($"/api/orders/{id}/picked", new { riderId, warehouseId = HostRequests.WarehouseId })).EnsureSuccessStatusCode();
        return id;
    }
}
