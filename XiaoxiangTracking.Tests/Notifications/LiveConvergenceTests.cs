using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Notifications;

/// <summary>
/// Invariant: whatever public actions happen to an order, in whatever order — payment, warehouse stages, hand-over with
/// or without a rider, positions single, batched, late, junk or off the route, reassignment, delivery, cancellation,
/// alerts acknowledged or resolved, a subscriber dropping and coming back with the version it held, the server
/// restarting — once the host is quiet, every role's view of the order is one thing: the state its live connection
/// built from the deltas it received equals a fresh snapshot and <c>GET /api/orders/{id}/live</c> for that role, field
/// by field, versions included; and the status is the one the order's status machine gives for the actions accepted.
/// </summary>
public sealed class LiveConvergenceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(15);

    private readonly TestFolder _folder = new();
    private readonly TestTokens _tokens = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private TrackingHostFactory _host = null!;
    private HttpClient _ops = null!;
    private readonly Dictionary<string, int> _seen = [];

    private enum Act
    {
        Pay,
        Stage,
        Picked,
        HandOver,
        Fix,
        Batch,
        LateFix,
        Junk,
        OffRoute,
        Reassign,
        Delivered,
        Cancel,
        Acknowledge,
        Resolve,
        Reconnect,
        TimePasses,
        Restart,
    }

    public Task InitializeAsync()
    {
        Start(DateTimeOffset.UtcNow);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_roles_view_built_from_deltas_equals_a_fresh_snapshot_and_the_rest_answer_after_any_actions()
    {
        // Moves weigh most, as in life; a restart is rare, as it is slow.
        Act[] weighted =
        [
            Act.Pay, Act.Pay, Act.Pay, Act.Stage, Act.Picked, Act.Picked, Act.HandOver, Act.Fix, Act.Fix, Act.Fix, Act.Fix, Act.Fix,
            Act.Batch, Act.Batch, Act.LateFix, Act.Junk, Act.OffRoute, Act.OffRoute, Act.Reassign, Act.Reassign, Act.Delivered,
            Act.Delivered, Act.Cancel, Act.Acknowledge, Act.Resolve, Act.Reconnect, Act.Reconnect, Act.TimePasses, Act.TimePasses,
            Act.Restart,
        ];
        var step = Gen.Select(Gen.OneOfConst(weighted), Gen.Int[0, 2], Gen.Int[0, 999]);
        // Random actions alone seldom see an order through: a random length of its happy path is spread among them.
        var sample = Gen.Select(step.Array[4, 14], Gen.Int[0, 5], Gen.Bool, Gen.Int[0, 2]).Select((noise, reach, handOver, rider) =>
        {
            (Act, int, int)[] path = [(Act.Pay, 0, 0), (handOver ? Act.HandOver : Act.Picked, rider, 0), (Act.Fix, rider, 500), (Act.Batch, rider, 400), (Act.Delivered, rider, 0)];
            var steps = noise.ToList();
            for (var i = Math.Min(reach, path.Length) - 1; i >= 0; i--)
            {
                steps.Insert((i + 1) * noise.Length / (reach + 1), path[i]);
            }

            return steps.ToArray();
        });

        await sample.SampleAsync(
            async steps =>
            {
                await using var order = await OrderUnderWatch.StartAsync(this);
                foreach (var (act, pick, amount) in steps)
                {
                    await order.DoAsync(act, pick, amount);
                    await order.ConvergedAsync($"after {act}({pick}, {amount}) in [{string.Join(", ", steps.Select(s => s.Item1))}]");
                }
            },
            iter: 14,
            threads: 1,
            writeLine: output.WriteLine);
        output.WriteLine(string.Join(", ", _seen.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
    }

    private void Seen(string what) => _seen[what] = _seen.GetValueOrDefault(what) + 1;

    private void Start(DateTimeOffset now)
    {
        // The test's watchers connect far more often than one address may in production.
        _host = new TrackingHostFactory(_folder.Path, _tokens).WithClock(now)
            .With("Security:RateLimits:HubConnectsPerAddressPerMinute", "100000")
            // Alerts within the few fixes of a sample: off the route by 100 m, still for a minute.
            .With("Tracking:Alerts:DeviationMeters", "80").With("Tracking:Alerts:DeviationFixes", "2")
            .With("Tracking:Alerts:StallAfter", "00:01:00");
        _ops = _host.CreateClient();
    }

    private async Task RestartAsync()
    {
        var now = _host.Clock!.GetUtcNow();
        _host.Dispose();
        Start(now);
        (await _ops.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>What a role's three views say of the order, in one shape.</summary>
    private sealed record View(
        long Version, int? Status, string? RiderId, PositionMessage? Position, bool? Active, string Alerts, EtaMessage? Eta, bool? Collected)
    {
        public static View Of(ClientOrderState state) =>
            new(state.Version, state.Status, state.RiderId, state.Position, state.Active, string.Join(',', state.Alerts ?? []), state.Eta, state.Collected);

        public static View Of(JsonObject live) =>
            new(live["trackingVersion"]!.GetValue<long>(), live["status"]!.GetValue<int>(), live["riderId"]?.GetValue<string>(),
                live["position"]?.Deserialize<PositionMessage>(JsonSerializerOptions.Web), live["active"]!.GetValue<bool>(),
                string.Join(',', live["alerts"]!.AsArray().Select(a => a!.GetValue<string>())),
                live["eta"]?.Deserialize<EtaMessage>(JsonSerializerOptions.Web), live["collected"]!.GetValue<bool>());
    }

    /// <summary>One role watching the order: who, and the live connection that holds what it was sent.</summary>
    private sealed class Watcher(string name, TestCaller caller, bool assignments)
    {
        public string Name { get; } = name;

        public TestCaller Caller { get; } = caller;

        public HubClient? Client { get; private set; }

        /// <summary>Connects (again), carrying over what the previous connection held, as an app keeps its state.</summary>
        public async Task ConnectAsync(TrackingHostFactory host, string orderId)
        {
            var held = Client?.State(orderId);
            if (Client is not null)
            {
                await Client.DisposeAsync();
            }

            Client = await Follow(host, Caller, assignments, orderId, held);
        }

        public static async Task<HubClient> Follow(TrackingHostFactory host, TestCaller caller, bool assignments, string orderId, ClientOrderState? held)
        {
            var client = await HubClient.ConnectAsync(host, caller: caller);
            if (assignments)
            {
                await client.Connection.InvokeAsync("SubscribeAssignments", caller.Subject);
            }
            else if (held is not null)
            {
                await client.SubscribeOrderAsync(orderId, held);
            }
            else
            {
                await client.SubscribeOrderAsync(orderId);
            }

            return client;
        }

        public async ValueTask DisposeAsync()
        {
            if (Client is not null)
            {
                await Client.DisposeAsync();
            }
        }
    }

    /// <summary>One order, its watchers, and the model of what its status and rider must be.</summary>
    private sealed class OrderUnderWatch : IAsyncDisposable
    {
        private readonly LiveConvergenceTests _test;
        private readonly string[] _riders = [.. Enumerable.Range(0, 3).Select(_ => RiderApp.NewRider())];
        private readonly Dictionary<string, (double Fraction, double North, DateTimeOffset FixTime)> _ridden = [];
        private readonly List<Watcher> _watchers = [];
        private string _id = string.Empty;
        private decimal _total;
        private int _status = 1;
        private string? _rider;
        private bool _dispatching;

        private OrderUnderWatch(LiveConvergenceTests test) => _test = test;

        private TrackingHostFactory Host => _test._host;

        private HttpClient Ops => _test._ops;

        private DateTimeOffset Now => Host.Clock!.GetUtcNow();

        public static async Task<OrderUnderWatch> StartAsync(LiveConvergenceTests test)
        {
            var order = new OrderUnderWatch(test);
            var customer = $"c-conv-{Guid.NewGuid():N}"[..20];
            var placed = await test._ops.PlaceAsync(OrderRequests.NewOrder(customer));
            (order._id, order._total) = (placed.Id(), placed.Total());
            order._watchers.Add(new Watcher("customer", TestCaller.Customer(customer), false));
            order._watchers.Add(new Watcher("warehouse", TestCaller.Warehouse("conv-staff", OrderRequests.WarehouseId), false));
            order._watchers.Add(new Watcher("ops", TestCaller.Ops("conv-ops"), false));
            order._watchers.AddRange(order._riders.Select(r => new Watcher("rider", TestCaller.Rider(r), true)));
            foreach (var watcher in order._watchers)
            {
                await watcher.ConnectAsync(test._host, order._id);
            }

            return order;
        }

        public async Task DoAsync(Act act, int pick, int amount)
        {
            var rider = _riders[pick];
            switch (act)
            {
                case Act.Pay:
                    Expect(await Ops.PayAsync(_id, _total), _status == 1, then: () => _status = 2);
                    break;
                case Act.Stage:
                    var stage = new[] { "Received", "Picking", "Packed" }[pick];
                    Expect(await Ops.PostAsJsonAsync("/api/tracking/warehouse-stages", new { orderId = _id, warehouseId = OrderRequests.WarehouseId, stage }),
                        _status == 2 ? true : null);
                    break;
                case Act.Picked:
                    Expect(await Ops.PickedAsync(_id, rider), _status == 2, then: () => (_status, _rider) = (3, rider));
                    break;
                case Act.HandOver:
                    Expect(await Ops.HandOverForDispatchAsync(_id), _status == 2, then: () => (_status, _dispatching) = (3, true));
                    break;
                case Act.Fix:
                    await ReportAsync(rider, [Ride(rider, amount)]);
                    break;
                case Act.Batch:
                    await ReportAsync(rider, [.. Enumerable.Range(0, (amount % 3) + 2).Select(i => Ride(rider, amount + i))]);
                    break;
                case Act.LateFix:
                    var (fraction, _, fixTime) = _ridden.GetValueOrDefault(rider, (0, 0, Now));
                    await ReportAsync(rider, [(RiderApp.AlongRoute(fraction), fixTime.AddSeconds(-30 - (amount % 60)))], accepted: null);
                    break;
                case Act.Junk:
                    var junk = new JsonObject { ["riderId"] = rider, ["pointId"] = $"junk-{amount}", ["fixTime"] = Now, ["latitude"] = 91 + amount, ["longitude"] = 121.5 };
                    if (pick == 1)
                    {
                        junk.Remove("latitude");
                    }

                    Expect(await Ops.PostAsJsonAsync("/api/tracking/positions", junk), false);
                    break;
                case Act.OffRoute:
                    // Leaves the route sideways (and keeps to that side), or comes back to it.
                    var (along, north, last) = _ridden.GetValueOrDefault(rider, (0, 0, Now));
                    _ridden[rider] = (along, north == 0 ? 100 + (amount % 100) : 0, last);
                    await ReportAsync(rider, [Ride(rider, 2)]);
                    break;
                case Act.Reassign:
                    // While dispatch is looking for a rider it may give the order to this one at any moment.
                    Expect(await Ops.PutAsJsonAsync($"/api/tracking/orders/{_id}/rider", new { riderId = rider }),
                        _status != 3 ? false : rider == _rider || _dispatching ? null : true, then: () => (_rider, _dispatching) = (rider, false));
                    break;
                case Act.Delivered:
                    var by = _rider ?? rider;
                    Expect(await Ops.DeliveredAsync(_id, by), _status == 3 && _dispatching ? null : _status == 3 && _rider == by,
                        then: () => (_status, _rider, _dispatching) = (4, by, false));
                    break;
                case Act.Cancel:
                    Expect(await Ops.CancelAsync(_id), _status is 1 or 2, then: () => _status = 5);
                    break;
                case Act.Acknowledge or Act.Resolve:
                    var alerts = await Ops.GetFromJsonAsync<JsonArray>($"/api/tracking/alerts?orderId={_id}");
                    if (alerts is [{ } alert, ..])
                    {
                        var verb = act == Act.Acknowledge ? "acknowledge" : "resolve";
                        Expect(await Ops.PostAsync($"/api/tracking/alerts/{alert["id"]!.GetValue<string>()}/{verb}", null), null);
                    }

                    break;
                case Act.Reconnect:
                    await _watchers[(pick * 2) + (amount % 2)].ConnectAsync(Host, _id);
                    break;
                case Act.TimePasses:
                    Host.Clock!.Advance(TimeSpan.FromSeconds(5 + (amount % 120)));
                    break;
                case Act.Restart:
                    _test.Seen("restart");
                    await _test.RestartAsync();
                    foreach (var watcher in _watchers)
                    {
                        await watcher.ConnectAsync(Host, _id);
                    }

                    break;
            }
        }

        /// <summary>
        /// Waits for the host to settle, then holds every role's three views equal: what its connection built, a fresh
        /// snapshot, and the REST answer (riders: the order's rider while delivering it; others are not let in).
        /// </summary>
        public async Task ConvergedAsync(string when)
        {
            if (_dispatching && _status == 3)
            {
                // Dispatch chose the rider: the model learns whom from ops (any rider may be the nearest).
                if ((await Live(TestCaller.Ops("conv-ops")))["riderId"]?.GetValue<string>() is { } chosen)
                {
                    (_rider, _dispatching) = (chosen, false);
                }
            }

            string? differences = null;
            try
            {
                await Eventually.Until(async () => (differences = await DifferencesAsync()) is null, Quiet);
            }
            catch (TimeoutException)
            {
                throw new Xunit.Sdk.XunitException($"Views of order {_id} did not converge {when}:\n{differences}");
            }
        }

        private async Task<string?> DifferencesAsync()
        {
            var problems = new List<string>();
            // The Orders module has taken in every change too (a rider assigned in Tracking reaches it as a notification).
            var order = await (await Ops.GetAsync($"/api/orders/{_id}")).ReadJsonAsync();
            if (order["status"]!.GetValue<int>() != _status || (!_dispatching && _rider is not null && order["riderId"]?.GetValue<string>() != _rider))
            {
                problems.Add($"orders: status {order["status"]}, rider {order["riderId"]}; the accepted actions make them {_status}, {_rider}");
            }

            foreach (var watcher in _watchers)
            {
                if (watcher.Caller.Role == "rider" && !(_status == 3 && watcher.Caller.Subject == _rider))
                {
                    continue;
                }

                // Placed a moment ago (and perhaps paid or cancelled at once), its live state may not be open yet: the
                // Orders module's notifications are on their way. A difference like any other, it must go away.
                if (await Live(watcher.Caller, openYet: false) is not { } opened)
                {
                    problems.Add($"{watcher.Name}: the order's live state is not open yet");
                    continue;
                }

                var rest = View.Of(opened);
                if (rest.Status != _status)
                {
                    problems.Add($"{watcher.Name}: status {rest.Status}, but the accepted actions make it {_status}");
                }

                _test.Seen($"{watcher.Name} checked at status {rest.Status}{(rest.Alerts.Length > 0 ? " with alerts" : "")}");
                if (rest.Status is 4 or 5 && (rest.Position is not null || rest.Eta is not null))
                {
                    problems.Add($"{watcher.Name}: a finished order still shows {rest}");
                }

                var held = watcher.Client!.State(_id) is { } state ? View.Of(state) : null;
                await using var fresh = await Watcher.Follow(Host, watcher.Caller, watcher.Caller.Role == "rider", _id, null);
                var snapshot = await Eventually.Until(() => Task.FromResult(fresh.State(_id)));
                if (held != rest || View.Of(snapshot) != rest)
                {
                    problems.Add($"{watcher.Name}:\n  built from deltas {held}\n  fresh snapshot    {View.Of(snapshot)}\n  GET live          {rest}");
                }
            }

            return problems.Count == 0 ? null : string.Join('\n', problems);
        }

        private async Task<JsonObject> Live(TestCaller caller) => (await Live(caller, openYet: true))!;

        /// <summary>The role's REST view; with <paramref name="openYet"/> false, null while the live state is not open yet.</summary>
        private async Task<JsonObject?> Live(TestCaller caller, bool openYet)
        {
            using var client = Host.ClientFor(caller);
            var response = await client.GetAsync($"/api/orders/{_id}/live");
            if (!openYet && response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            response.StatusCode.Should().Be(HttpStatusCode.OK, $"{caller} may see the order");
            return await response.ReadJsonAsync();
        }

        /// <summary>The rider's next fix: a little further along the route (or back, or nowhere), on its side of it, 15 s later.</summary>
        private ((double Latitude, double Longitude) At, DateTimeOffset FixTime) Ride(string rider, int amount)
        {
            Host.Clock!.Advance(TimeSpan.FromSeconds(15));
            var (fraction, north, _) = _ridden.GetValueOrDefault(rider, (0, 0, Now));
            fraction = Math.Clamp(fraction + (((amount % 7) - 2) * 0.006), 0, 1);
            _ridden[rider] = (fraction, north, Now);
            var onRoute = RiderApp.AlongRoute(fraction);
            return (RiderApp.Offset(onRoute.Latitude, onRoute.Longitude, north, 0), Now);
        }

        private async Task ReportAsync(string rider, ((double Latitude, double Longitude) At, DateTimeOffset FixTime)[] fixes, bool? accepted = true)
        {
            using var app = Host.ClientFor(TestCaller.Rider(rider));
            JsonObject Point((double Latitude, double Longitude) at, DateTimeOffset fixTime) => new()
            {
                ["pointId"] = $"p-{fixTime.UtcTicks}-{at.Latitude}",
                ["fixTime"] = fixTime,
                ["latitude"] = at.Latitude,
                ["longitude"] = at.Longitude,
                ["accuracy"] = 8,
            };
            Expect(fixes is [var (at, fixTime)]
                    ? await app.PostAsJsonAsync("/api/tracking/positions", Point(at, fixTime))
                    : await app.PostAsJsonAsync("/api/tracking/positions/batch",
                        new JsonObject { ["positions"] = new JsonArray([.. fixes.Select(f => Point(f.At, f.FixTime))]) }),
                accepted);
        }

        /// <summary>Holds the answer to what the model expects (accepted, refused, or either: null); never a server error.</summary>
        private static string Route(Uri uri) => string.Join('/', uri.AbsolutePath.Split('/').Select(p => p.Length >= 20 ? "{id}" : p));

        private void Expect(HttpResponseMessage response, bool? accepted, Action? then = null)
        {
            var status = (int)response.StatusCode;
            status.Should().BeLessThan(500, response.Content.ReadAsStringAsync().Result);
            if (accepted is { } expected)
            {
                response.IsSuccessStatusCode.Should().Be(expected, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} answered {status}: "
                    + response.Content.ReadAsStringAsync().Result);
            }

            if (response.IsSuccessStatusCode)
            {
                then?.Invoke();
            }

            _test.Seen($"{response.RequestMessage!.Method} {Route(response.RequestMessage.RequestUri!)} {status}");
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var watcher in _watchers)
            {
                await watcher.DisposeAsync();
            }
        }
    }
}
