using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace XiaoxiangTracking.Testing;

/// <summary>What a reliability run found; <see cref="Problems"/> is empty when every promise held.</summary>
public sealed record KillHarnessReport(
    int Cycles,
    int Seed,
    long ReportsAcknowledged,
    long ReportsRejected,
    long ReportsResent,
    int OrdersFollowed,
    int OrdersCompleted,
    int OrdersCancelled,
    IReadOnlyList<string> Problems,
    TimeSpan Elapsed)
{
    public string Summary =>
        $"reliability (seed {Seed}): {Cycles} kill -9 cycles in {Elapsed.TotalSeconds:N0} s: {ReportsAcknowledged:N0} fixes acknowledged "
        + $"({ReportsResent:N0} re-sent after a kill, {ReportsRejected:N0} rejected by the filters), {OrdersFollowed} orders "
        + $"({OrdersCompleted} delivered, {OrdersCancelled} cancelled); {Problems.Count} problems";
}

/// <summary>
/// Riders post single fixes and offline batches and orders go through their statuses while the host is killed with
/// SIGKILL at a random moment of every cycle and restarted on the same data. As real clients do, a rider keeps what was
/// not acknowledged and sends it again, and an order step without an answer is retried with the same Idempotency-Key.
/// Afterwards the database is read directly: every fix that got a 2xx is stored exactly once and nothing else is;
/// every order exists once, in the status its last acknowledged step left it, its history is a legal path of the
/// seed's status flow and tracking's copy agrees with it.
/// </summary>
public sealed class KillHarness(int cycles, int seed, TextWriter log)
{
    private const int RiderCount = 8;
    private const int OrderWorkers = 3;

    private readonly Random _random = new(seed);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _problems = new();

    public async Task<KillHarnessReport> RunAsync()
    {
        var elapsed = Stopwatch.StartNew();
        var data = HostData.Fresh();
        try
        {
            var riders = Enumerable.Range(0, RiderCount).Select(i => new SimulatedRider($"rel-rider-{i:D2}", i, seed)).ToArray();
            var flows = new List<OrderFlow>();
            for (var cycle = 1; cycle <= cycles; cycle++)
            {
                await using var host = await HostProcess.StartAsync(data);
                using var running = new CancellationTokenSource();
                var work = Work(host, riders, flows, running.Token);
                await Task.Delay(TimeSpan.FromMilliseconds(_random.Next(300, 1_500)));
                await host.KillAsync();
                await running.CancelAsync();
                await work;
                if (cycle % 10 == 0 || cycle == cycles)
                {
                    log.WriteLine($"  cycle {cycle}/{cycles}: {riders.Sum(r => r.Acknowledged.Count):N0} fixes acknowledged, {flows.Count} orders");
                }
            }

            // A last, uninterrupted start: everything unanswered is sent again until it is, the outbox drains.
            await using (var host = await HostProcess.StartAsync(data))
            {
                await SettleAsync(host, riders, flows);
                await host.StopAsync();
            }

            Verify(data, riders, flows);
            return new KillHarnessReport(
                cycles,
                seed,
                riders.Sum(r => r.Acknowledged.Count),
                riders.Sum(r => r.Rejected.Count),
                riders.Sum(r => r.Resent),
                flows.Count,
                flows.Count(f => f.Acknowledged == Status.Completed),
                flows.Count(f => f.Acknowledged == Status.Cancelled),
                [.. _problems],
                elapsed.Elapsed);
        }
        finally
        {
            data.Delete();
        }
    }

    /// <summary>Riders and order workers until the host dies (or <paramref name="stop"/>).</summary>
    private async Task Work(HostProcess host, SimulatedRider[] riders, List<OrderFlow> flows, CancellationToken stop)
    {
        using var handler = HostRequests.Handler();
        var ops = host.Client("ops", "rel-ops", handler);
        var tasks = riders.Select(rider => Task.Run(async () =>
        {
            var client = host.Client("rider", rider.Id, handler);
            while (!stop.IsCancellationRequested)
            {
                if (!await rider.ReportAsync(client, _problems))
                {
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        }, CancellationToken.None)).ToList();
        for (var w = 0; w < OrderWorkers; w++)
        {
            var worker = w;
            tasks.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var flow = NextFlow(flows, worker, riders);
                    if (!await flow.StepAsync(ops, _problems))
                    {
                        await Task.Delay(20, CancellationToken.None);
                    }
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(tasks);
    }

    /// <summary>The worker's unfinished order, or a new one.</summary>
    private OrderFlow NextFlow(List<OrderFlow> flows, int worker, SimulatedRider[] riders)
    {
        lock (flows)
        {
            if (flows.LastOrDefault(f => f.Worker == worker && !f.Finished) is { } open)
            {
                return open;
            }

            int cancelAfter;
            lock (_random)
            {
                // One order in four is cancelled: before or after payment.
                cancelAfter = _random.Next(8) switch { 0 => Status.PendingPayment, 1 => Status.Paid, _ => 0 };
            }

            var flow = new OrderFlow($"rel-c-{flows.Count:D5}", worker, riders[flows.Count % riders.Length].Id, cancelAfter);
            flows.Add(flow);
            return flow;
        }
    }

    private async Task SettleAsync(HostProcess host, SimulatedRider[] riders, List<OrderFlow> flows)
    {
        using var handler = HostRequests.Handler();
        var ops = host.Client("ops", "rel-ops", handler);
        var deadline = Stopwatch.StartNew();
        foreach (var rider in riders)
        {
            var client = host.Client("rider", rider.Id, handler);
            while (rider.Unacknowledged > 0 && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                await rider.ReportAsync(client, _problems, onlyBuffered: true);
            }
        }

        foreach (var flow in flows)
        {
            while (flow.Unanswered && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                if (!await flow.StepAsync(ops, _problems, onlyUnanswered: true))
                {
                    await Task.Delay(200);
                }
            }
        }

        // Every committed order change is published to tracking (the outbox drains).
        while (deadline.Elapsed < TimeSpan.FromMinutes(2) && Scalar(host.Data, "SELECT COUNT(*) FROM orders_outbox_messages WHERE processed_at IS NULL") > 0)
        {
            await Task.Delay(200);
        }
    }

    private void Verify(HostData data, SimulatedRider[] riders, List<OrderFlow> flows)
    {
        using var db = data.OpenDatabase();

        var stored = new Dictionary<(string Rider, string Point), long>();
        foreach (var row in Rows(db, "SELECT rider_id, client_point_id, COUNT(*) FROM tracking_rider_positions GROUP BY rider_id, client_point_id"))
        {
            stored[((string)row[0]!, (string)row[1]!)] = (long)row[2]!;
        }

        foreach (var rider in riders)
        {
            if (rider.Unacknowledged > 0)
            {
                _problems.Enqueue($"{rider.Id}: {rider.Unacknowledged} fixes never acknowledged");
            }

            foreach (var point in rider.Acknowledged)
            {
                var count = stored.GetValueOrDefault((rider.Id, point));
                if (count != 1)
                {
                    _problems.Enqueue($"{rider.Id} {point}: acknowledged, stored {count} times");
                }
            }

            foreach (var point in rider.Rejected.Where(p => stored.ContainsKey((rider.Id, p))))
            {
                _problems.Enqueue($"{rider.Id} {point}: rejected yet stored");
            }
        }

        foreach (var ((rider, point), _) in stored.Where(s => riders.All(r => r.Id != s.Key.Rider || !r.Acknowledged.Contains(s.Key.Point))))
        {
            _problems.Enqueue($"{rider} {point}: stored but never acknowledged");
        }

        var orders = Rows(db, "SELECT id, customer_id, status, version, rider_id FROM orders_orders").ToList();
        var live = Rows(db, "SELECT order_id, status, order_version, is_active FROM tracking_live_orders")
            .ToDictionary(r => (string)r[0]!, r => (Status: (long)r[1]!, Version: (long)r[2]!, Active: (long)r[3]! == 1));
        var history = Rows(db, "SELECT order_id, order_version, status FROM tracking_order_tracking WHERE order_version IS NOT NULL ORDER BY order_id, order_version")
            .GroupBy(r => (string)r[0]!)
            .ToDictionary(g => g.Key, g => g.Select(r => (Version: (long)r[1]!, Status: (int)(long)r[2]!)).ToList());
        foreach (var flow in flows)
        {
            var mine = orders.Where(o => (string)o[1]! == flow.CustomerId).ToList();
            if (mine.Count != 1)
            {
                _problems.Enqueue($"{flow.CustomerId}: {mine.Count} orders placed for one order flow");
                continue;
            }

            var (id, status, version) = ((string)mine[0][0]!, (int)(long)mine[0][2]!, (long)mine[0][3]!);
            if (id != flow.OrderId)
            {
                _problems.Enqueue($"{flow.CustomerId}: acknowledged order {flow.OrderId}, stored {id}");
            }

            if (status != flow.Acknowledged)
            {
                _problems.Enqueue($"{id}: status {status}, last acknowledged {flow.Acknowledged}");
            }

            if (status is Status.Delivering or Status.Completed && (string?)mine[0][4] != flow.RiderId)
            {
                _problems.Enqueue($"{id}: status {status} with rider '{mine[0][4]}', handed to {flow.RiderId}");
            }

            if (!live.TryGetValue(id, out var copy) || copy.Status != status || copy.Version != version
                || copy.Active != status is Status.PendingPayment or Status.Paid or Status.Delivering)
            {
                _problems.Enqueue($"{id}: tracking holds {copy}, the order is status {status} at version {version}");
            }

            var path = history.GetValueOrDefault(id) ?? [];
            var legal = path.Count > 0 && path[0] is (1, Status.PendingPayment) && path[^1].Version == version
                && path.Zip(path.Skip(1)).All(p => p.Second.Version == p.First.Version + 1 && Legal(p.First.Status, p.Second.Status));
            if (!legal)
            {
                _problems.Enqueue($"{id}: history {string.Join(" → ", path.Select(p => $"v{p.Version}:{p.Status}"))} is not a legal path to version {version}");
            }
        }

        var strangers = orders.Count(o => flows.All(f => f.CustomerId != (string)o[1]!));
        if (strangers > 0)
        {
            _problems.Enqueue($"{strangers} orders no flow placed");
        }
    }

    /// <summary>The seed's flow: 1 → 2 → 3 → 4, cancel from 1 or 2; an unchanged status is a rider assignment or the like.</summary>
    private static bool Legal(int from, int to) => from == to || (from, to) is (1, 2) or (2, 3) or (3, 4) or (1, 5) or (2, 5);

    private static long Scalar(HostData data, string sql)
    {
        using var db = data.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static IEnumerable<object?[]> Rows(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            yield return row;
        }
    }

    /// <summary>The seed's status codes.</summary>
    internal static class Status
    {
        public const int PendingPayment = 1;
        public const int Paid = 2;
        public const int Delivering = 3;
        public const int Completed = 4;
        public const int Cancelled = 5;
    }

    /// <summary>
    /// A rider's phone: fixes one second apart along a straight street, a buffer of what the server has not
    /// acknowledged (sent again as a batch), and what it was told.
    /// </summary>
    private sealed class SimulatedRider(string id, int index, int seed)
    {
        private readonly Random _random = new(seed * 31 + index);
        private readonly List<JsonObject> _buffer = [];
        private readonly DateTimeOffset _start = DateTimeOffset.UtcNow.AddHours(-6);
        private int _next;

        // The buffer's first _sent fixes went out at least once without an answer.
        private int _sent;

        public string Id { get; } = id;

        public HashSet<string> Acknowledged { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Rejected { get; } = new(StringComparer.Ordinal);

        public int Resent { get; private set; }

        public int Unacknowledged => _buffer.Count;

        /// <summary>Sends one fix, a new batch or the buffer; false when there was no answer.</summary>
        public async Task<bool> ReportAsync(HttpClient client, System.Collections.Concurrent.ConcurrentQueue<string> problems, bool onlyBuffered = false)
        {
            if (!onlyBuffered)
            {
                var fresh = _random.Next(10) < 7 ? 1 : _random.Next(2, 30);
                for (var i = 0; i < fresh; i++)
                {
                    _buffer.Add(NextFix());
                }
            }

            var resending = _sent;
            _sent = _buffer.Count;
            var single = _buffer.Count == 1 && _random.Next(2) == 0;

            try
            {
                using var response = single
                    ? await client.PostAsJsonAsync("/api/tracking/positions", WithRider(_buffer[0]))
                    : await client.PostAsJsonAsync("/api/tracking/positions/batch",
                        new JsonObject { ["riderId"] = Id, ["positions"] = new JsonArray([.. _buffer.Select(fix => fix.DeepClone())]) });
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    return true;
                }

                var reply = await response.Content.ReadFromJsonAsync<JsonObject>();
                if (single && response.StatusCode == HttpStatusCode.UnprocessableEntity)
                {
                    Rejected.Add(_buffer[0]["pointId"]!.GetValue<string>());
                    _buffer.Clear();
                    _sent = 0;
                }
                else if (response.IsSuccessStatusCode)
                {
                    var results = single ? new JsonArray(reply) : reply!["results"]!.AsArray();
                    foreach (var result in results)
                    {
                        var point = result!["pointId"]!.GetValue<string>();
                        (result["outcome"]!.GetValue<string>() == "rejected" ? Rejected : Acknowledged).Add(point);
                    }

                    _buffer.Clear();
                    _sent = 0;
                }
                else
                {
                    problems.Enqueue($"{Id}: {(int)response.StatusCode} {reply?.ToJsonString()}");
                    _buffer.Clear();
                    _sent = 0;
                }

                Resent += resending;
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or IOException)
            {
                return false;
            }
        }

        private JsonObject NextFix()
        {
            var n = _next++;
            return new JsonObject
            {
                ["pointId"] = $"p{n:D6}",
                ["fixTime"] = _start.AddSeconds(n),
                // About 4 m a second north along the rider's own street near the warehouse.
                ["latitude"] = 31.20 + (n * 3.6e-5),
                ["longitude"] = 121.45 + (index * 1e-3),
                ["accuracy"] = 8,
                ["speed"] = 4.0,
                ["heading"] = 0,
            };
        }

        /// <summary>The fix as a single report carries it: with the rider.</summary>
        private JsonObject WithRider(JsonObject fix)
        {
            var report = (JsonObject)fix.DeepClone();
            report["riderId"] = Id;
            return report;
        }
    }

    /// <summary>
    /// One order through the seed's flow (place, pay, hand to a rider, deliver; or cancel before delivery), each step
    /// sent with its own Idempotency-Key and retried with it until answered.
    /// </summary>
    private sealed class OrderFlow(string customerId, int worker, string riderId, int cancelAfter)
    {
        private string? _pendingKey;
        private bool _gaveUp;

        public string CustomerId { get; } = customerId;

        public int Worker { get; } = worker;

        public string RiderId { get; } = riderId;

        public string? OrderId { get; private set; }

        /// <summary>The status the last answered step left the order in (0 before it is placed).</summary>
        public int Acknowledged { get; private set; }

        /// <summary>Delivered, cancelled, or given up after an answer the flow does not allow (a problem is recorded).</summary>
        public bool Finished => Acknowledged is Status.Completed or Status.Cancelled || _gaveUp;

        /// <summary>A step was sent and never answered.</summary>
        public bool Unanswered => _pendingKey is not null;

        private decimal _total;

        /// <summary>Takes the next step; false when there was no answer (the host is gone or saturated).</summary>
        public async Task<bool> StepAsync(HttpClient ops, System.Collections.Concurrent.ConcurrentQueue<string> problems, bool onlyUnanswered = false)
        {
            if (Finished || (onlyUnanswered && !Unanswered))
            {
                return true;
            }

            var (path, body, target) = Acknowledged switch
            {
                0 => ("/api/orders", HostRequests.NewOrder(CustomerId), Status.PendingPayment),
                _ when cancelAfter == Acknowledged => ($"/api/orders/{OrderId}/cancel", new JsonObject { ["reason"] = "不想要了" }, Status.Cancelled),
                Status.PendingPayment => ($"/api/orders/{OrderId}/pay",
                    new JsonObject { ["paymentReference"] = $"wx-{CustomerId}", ["amount"] = _total }, Status.Paid),
                Status.Paid => ($"/api/orders/{OrderId}/picked", new JsonObject { ["warehouseId"] = HostRequests.WarehouseId, ["riderId"] = RiderId }, Status.Delivering),
                _ => ($"/api/orders/{OrderId}/delivered", new JsonObject { ["riderId"] = RiderId }, Status.Completed),
            };
            _pendingKey ??= $"{CustomerId}-{target}";
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", _pendingKey);
            try
            {
                using var response = await ops.SendAsync(request);
                var reply = await response.Content.ReadFromJsonAsync<JsonObject>();
                if (response.IsSuccessStatusCode)
                {
                    OrderId ??= reply!["id"]!.GetValue<string>();
                    _total = reply!["totalAmount"]!.GetValue<decimal>();
                    Acknowledged = reply["status"]!.GetValue<int>();
                    if (Acknowledged != target)
                    {
                        problems.Enqueue($"{OrderId}: step to {target} answered with status {Acknowledged}");
                    }

                    _pendingKey = null;
                    return true;
                }

                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    return false;
                }

                problems.Enqueue($"{CustomerId} {path}: {(int)response.StatusCode} {reply?.ToJsonString()}");
                _gaveUp = true;
                _pendingKey = null;
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or IOException)
            {
                return false;
            }
        }
    }
}
