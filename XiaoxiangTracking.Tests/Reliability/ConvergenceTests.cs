using System.Diagnostics;
using System.Net.Http.Json;
using Xunit.Abstractions;
using XiaoxiangTracking.Tests.Support;
using XiaoxiangTracking.Testing;

namespace XiaoxiangTracking.Tests.Reliability;

/// <summary>
/// The second reliability run: hub clients cut off for 5 s and for 60 s, and the server restarted, while statuses and
/// positions flow; afterwards every client holds exactly what the database holds. Real time throughout: the cuts are
/// TCP connections dropped by a relay and the server is a real process.
/// </summary>
public class ConvergenceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ShortCut = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongCut = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Clients_cut_off_for_5_and_60_seconds_across_a_server_restart_end_holding_what_the_database_holds()
    {
        var data = HostData.Fresh();
        var port = HostProcess.FreePort();
        var host = await HostProcess.StartAsync(data, port);
        try
        {
            using var handler = new SocketsHttpHandler();
            var ops = host.Client("ops", "conv-ops", handler);
            var riders = Enumerable.Range(0, 4).Select(i => $"conv-rider-{i}").ToArray();
            var orders = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                var order = await ops.PlaceAsync(OrderRequests.NewOrder($"c-conv-{i}"));
                (await ops.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
                orders.Add(order.Id());
            }

            // Orders 0-2 are on their way from the start; 3 is handed over during the cuts, 4 cancelled, 5 stays paid.
            for (var i = 0; i < 3; i++)
            {
                (await ops.PickedAsync(orders[i], riders[i])).EnsureSuccessStatusCode();
            }

            await using var shortLink = new CuttableLink(port);
            await using var longLink = new CuttableLink(port);
            var token = host.Token("ops", "conv-watcher");
            var clients = new Dictionary<string, HubClient>
            {
                ["direct"] = await HubClient.ConnectAsync(host.BaseAddress, token),
                ["cut 5 s"] = await HubClient.ConnectAsync(shortLink.BaseAddress, token),
                ["cut 60 s"] = await HubClient.ConnectAsync(longLink.BaseAddress, token),
            };
            foreach (var client in clients.Values)
            {
                foreach (var orderId in orders)
                {
                    await client.SubscribeOrderAsync(orderId);
                }
            }

            var clock = Stopwatch.StartNew();
            var flowing = Task.Run(() => RidersReportAsync(ops, riders, clock, LongCut + TimeSpan.FromSeconds(6)));
            await Until(clock, TimeSpan.FromSeconds(2));
            shortLink.CutFor(ShortCut);
            longLink.CutFor(LongCut);

            await Until(clock, TimeSpan.FromSeconds(10));
            (await ops.PickedAsync(orders[3], riders[3])).EnsureSuccessStatusCode();
            await Until(clock, TimeSpan.FromSeconds(20));
            await host.StopAsync();
            host = await HostProcess.StartAsync(data, port);
            await Until(clock, TimeSpan.FromSeconds(30));
            (await ops.CancelAsync(orders[4])).EnsureSuccessStatusCode();
            (await ops.DeliveredAsync(orders[0], riders[0])).EnsureSuccessStatusCode();
            await Until(clock, TimeSpan.FromSeconds(58));
            clients["cut 60 s"].State(orders[3])!.Status.Should().Be(2, "the long-cut client has not heard of the hand-over yet");
            clients["direct"].State(orders[3])!.Status.Should().Be(3);
            (await ops.DeliveredAsync(orders[1], riders[1])).EnsureSuccessStatusCode();
            var reports = await flowing;

            var database = await Eventually.Until(
                () => Task.FromResult(Read(data, orders) is var held && clients.Values.All(c => orders.All(o => Same(c.State(o), held[o]))) ? held : null),
                TimeSpan.FromSeconds(45));

            output.WriteLine($"{reports} fixes accepted; reconnections: {string.Join(", ", clients.Select(c => $"{c.Key} {c.Value.Reconnections}"))}");
            clients.Values.Should().OnlyContain(c => c.Reconnections >= 1, "the restart dropped every connection and the cuts theirs");
            foreach (var (name, client) in clients)
            {
                foreach (var orderId in orders)
                {
                    var state = client.State(orderId)!;
                    var (version, status, latitude, longitude) = database[orderId];
                    (state.Version, state.Status, state.Position?.Latitude, state.Position?.Longitude)
                        .Should().Be((version, status, latitude, longitude), $"the {name} client holds order {orderId} as the database does");
                }

                await client.DisposeAsync();
            }

            database.Values.Select(o => o.Status).Should().BeEquivalentTo([4, 4, 3, 3, 5, 2]);
            reports.Should().BeGreaterThan(100);
        }
        finally
        {
            await host.DisposeAsync();
            data.Delete();
        }
    }

    private static bool Same(ClientOrderState? state, (long Version, int Status, double? Latitude, double? Longitude) held) =>
        state is not null && state.Version == held.Version && state.Status == held.Status
        && state.Position?.Latitude == held.Latitude && state.Position?.Longitude == held.Longitude;

    /// <summary>Every rider reports every 500 ms along the route until <paramref name="until"/>; unanswered fixes are not retried.</summary>
    private static async Task<int> RidersReportAsync(HttpClient ops, string[] riders, Stopwatch clock, TimeSpan until)
    {
        var accepted = 0;
        for (var step = 1; clock.Elapsed < until; step++)
        {
            foreach (var rider in riders)
            {
                try
                {
                    await ops.ReportAsync(rider, RiderApp.AlongRoute(step * 6e-4), DateTimeOffset.UtcNow);
                    accepted++;
                }
                catch (HttpRequestException)
                {
                    // The server is restarting: the next fix goes through.
                }
            }

            await Task.Delay(500);
        }

        return accepted;
    }

    private static Task Until(Stopwatch clock, TimeSpan at) => at > clock.Elapsed ? Task.Delay(at - clock.Elapsed) : Task.CompletedTask;

    /// <summary>Each order's tracking version, status and rider position as committed.</summary>
    private static Dictionary<string, (long Version, int Status, double? Latitude, double? Longitude)> Read(HostData data, List<string> orders)
    {
        using var db = data.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT order_id, version, status, latitude, longitude FROM tracking_live_orders";
        using var reader = command.ExecuteReader();
        var held = new Dictionary<string, (long, int, double?, double?)>();
        while (reader.Read())
        {
            held[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetDouble(4));
        }

        return orders.ToDictionary(o => o, o => held[o]);
    }
}
