using System.Net.Http.Json;
using System.Text.Json.Nodes;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Tracking;

/// <summary>
/// A rider carrying three orders: A and B collected at the warehouse (A assigned first, so delivered first), C given to
/// the rider after leaving, still to collect. The customers live on one street north of the warehouse — B at 1 km, C
/// at 1.5 km, A at 2 km — so riding to A passes B's and C's doors.
/// </summary>
public sealed class MultiOrderRiderTests : IDisposable
{
    private readonly TrackingHostFactory _host = new TrackingHostFactory().WithClock();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Only_the_order_being_ridden_to_arrives_or_deviates_and_the_others_are_estimated_in_their_turn()
    {
        var ops = _host.CreateClient();
        var rider = RiderApp.NewRider();
        var a = await PaidOrderAsync(ops, northMeters: 2000);
        var b = await PaidOrderAsync(ops, northMeters: 1000);
        var c = await PaidOrderAsync(ops, northMeters: 1500);
        (await ops.PickedAsync(a, rider)).EnsureSuccessStatusCode();
        await ops.LiveWhen(a, l => l["riderId"]?.GetValue<string>() == rider);
        _host.Clock!.Advance(TimeSpan.FromSeconds(1));
        (await ops.PickedAsync(b, rider)).EnsureSuccessStatusCode();
        (await ops.HandOverForDispatchAsync(c)).EnsureSuccessStatusCode();
        await ops.LiveWhen(c, l => l["status"]!.GetValue<int>() == 3);

        var north = 0;
        async Task RideToAsync(int meters)
        {
            while (north != meters)
            {
                north += Math.Sign(meters - north) * Math.Min(150, Math.Abs(meters - north));
                _host.Clock.Advance(TimeSpan.FromSeconds(15));
                var now = _host.Clock.GetUtcNow();
                await ops.ReportAsync(rider, RiderApp.NearWarehouse(north), now);
                await ops.LiveWhen(b, l => l["position"]?["fixTime"]?.GetValue<DateTimeOffset>() == now);
            }
        }

        await RideToAsync(300);
        (await ops.PutAsJsonAsync($"/api/tracking/orders/{c}/rider", new { riderId = rider })).EnsureSuccessStatusCode();
        await RideToAsync(500);

        // Rider at 500 m: A is 1.5 km ahead; B comes after A (back 1 km); C after B, through the warehouse.
        // (Each is made again by the move evaluator after the fix, one order at a time.)
        var now = _host.Clock.GetUtcNow();
        var expected = new Dictionary<string, double>
        {
            [a] = 1500 / 4.0, // next, 1.5 km on at the default 4 m/s
            [b] = 2500 / 4.0, // after A, back 1 km from A's door
            [c] = (1500 + 1000 + 1000 + 1500) / 4.0, // through A's and B's doors and the warehouse
        };
        var seconds = new Dictionary<string, double>();
        try
        {
            await Eventually.Until(async () =>
            {
                foreach (var id in expected.Keys)
                {
                    seconds[id] = (await EtaAsync(ops, id) - now).TotalSeconds;
                }

                // Shown in whole minutes, and a shown minute is kept while the new estimate is within a quarter of one of it.
                return expected.All(e => seconds[e.Key] >= e.Value - 15 && seconds[e.Key] <= e.Value + 75);
            });
        }
        catch (TimeoutException)
        {
            seconds.Should().BeEquivalentTo(expected, "each estimate goes through the doors before it (rounded up to the minute)");
        }

        (await Live(ops, b))["collected"]!.GetValue<bool>().Should().BeTrue();
        (await Live(ops, c))["collected"]!.GetValue<bool>().Should().BeFalse("C is still at the warehouse");

        await RideToAsync(2000);
        await Eventually.Until(async () => (await EventsAsync(ops, a)).Contains("ArrivedAtCustomer"));

        (await EventsAsync(ops, b)).Should().NotContain("ArrivedAtCustomer", "the rider passed B's door on the way to A");
        (await EventsAsync(ops, c)).Should().NotContain("ArrivedAtCustomer", "nor had the rider collected C");
        (await AlertsAsync(ops, b)).Should().BeEmpty("riding on past B to A first is the plan, not a deviation");
        (await AlertsAsync(ops, c)).Should().BeEmpty();

        // A delivered: B is next, ridden to from A's door.
        (await ops.DeliveredAsync(a, rider)).EnsureSuccessStatusCode();
        await ops.LiveWhen(a, l => l["status"]!.GetValue<int>() == 4);
        await RideToAsync(1000);
        await Eventually.Until(async () => (await EventsAsync(ops, b)).Contains("ArrivedAtCustomer"));
        (await AlertsAsync(ops, b)).Should().BeEmpty("coming back from A's door is the way to B");
        (await EventsAsync(ops, c)).Should().NotContain("ArrivedAtCustomer");
    }

    private static async Task<string> PaidOrderAsync(HttpClient ops, int northMeters)
    {
        var home = RiderApp.NearWarehouse(northMeters);
        var placing = OrderRequests.NewOrder();
        placing["deliveryAddress"]!["latitude"] = home.Latitude;
        placing["deliveryAddress"]!["longitude"] = home.Longitude;
        var order = await ops.PlaceAsync(placing);
        (await ops.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        await ops.LiveWhen(order.Id(), l => l["status"]!.GetValue<int>() == 2);
        return order.Id();
    }

    private static async Task<JsonObject> Live(HttpClient ops, string id) =>
        await (await ops.GetAsync($"/api/orders/{id}/live")).ReadJsonAsync();

    private static async Task<DateTimeOffset> EtaAsync(HttpClient ops, string id) =>
        (await Live(ops, id))["eta"]!["estimatedAt"]!.GetValue<DateTimeOffset>();

    private static async Task<List<string>> EventsAsync(HttpClient ops, string id) =>
        [.. (await ops.GetFromJsonAsync<JsonArray>($"/api/orders/{id}/timeline"))!.Select(e => e!["event"]!.GetValue<string>())];

    private static async Task<List<string>> AlertsAsync(HttpClient ops, string id) =>
        [.. (await ops.GetFromJsonAsync<JsonArray>($"/api/tracking/alerts?orderId={id}&unresolved=false"))!
            .Select(a => a!["type"]!.GetValue<string>())
            .Where(type => type == "Deviation")];
}
