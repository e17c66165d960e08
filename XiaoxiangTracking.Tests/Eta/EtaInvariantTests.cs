using System.Text.Json.Nodes;
using CsCheck;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Eta;

/// <summary>
/// What a customer relies on in the arrival estimate, as properties over random deliveries on the host's clock: a
/// warehouse that picks slowly or fast, then a rider who approaches, stalls, detours, and goes silent (GPS gaps) in
/// any order. At every read, while the order is on its way: the expected arrival is never before now; the range holds
/// it and never collapses to a point; the estimate of a ride under a minute old says its confidence is Low, and so does
/// that of a rider silent for longer than the offline threshold, from the next refresh on.
/// </summary>
public sealed class EtaInvariantTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    private readonly TrackingHostFactory _host = new TrackingHostFactory().WithClock();

    public void Dispose() => _host.Dispose();

    private enum Leg
    {
        Approach,
        Stall,
        Detour,
        Gap,
    }

    [Fact]
    public async Task While_an_order_is_on_its_way_its_estimate_is_never_in_the_past_never_a_point_and_Low_when_its_inputs_are_thin()
    {
        var ops = _host.CreateClient();
        var legs = Gen.Select(Gen.Enum<Leg>(), Gen.Int[1, 8], Gen.Int[20, 280]).Array[2, 8];
        // Customers from round the corner to across the district, so rides reach the door and stay there too.
        await Gen.Select(Gen.Int[0, 40], Gen.Select(Gen.Int[-3000, 3000], Gen.Int[-3000, 3000]), legs).SampleAsync(
            async (pickingSteps, home, ridden) =>
            {
                var customer = RiderApp.NearWarehouse(home.Item1, home.Item2);
                var placing = OrderRequests.NewOrder();
                placing["deliveryAddress"]!["latitude"] = customer.Latitude;
                placing["deliveryAddress"]!["longitude"] = customer.Longitude;
                var order = await ops.PlaceAsync(placing);
                var id = order.Id();
                (await ops.PayAsync(id, order.Total())).EnsureSuccessStatusCode();
                await ops.LiveWhen(id, l => l["status"]!.GetValue<int>() == 2);
                for (var i = 0; i < pickingSteps; i++)
                {
                    _host.Clock!.Advance(Step);
                    await HoldsAsync(ops, id, ride: null);
                }

                var rider = RiderApp.NewRider();
                (await ops.PickedAsync(id, rider)).EnsureSuccessStatusCode();
                var ride = new Ride(_host.Clock!.GetUtcNow(), RiderApp.NearWarehouse(0), customer);
                await ops.LiveWhen(id, l => l["riderId"]?.GetValue<string>() == rider);
                foreach (var (leg, steps, meters) in ridden)
                {
                    for (var i = 0; i < steps; i++)
                    {
                        _host.Clock.Advance(Step);
                        if (leg != Leg.Gap)
                        {
                            ride = ride.Move(leg, meters, _host.Clock.GetUtcNow());
                            await ops.ReportAsync(rider, ride.At, ride.LastFix!.Value);
                            await ops.LiveWhen(id, l => l["position"]?["fixTime"]?.GetValue<DateTimeOffset>() == ride.LastFix);
                        }

                        await HoldsAsync(ops, id, ride);
                    }
                }

                (await ops.DeliveredAsync(id, rider)).EnsureSuccessStatusCode();
            },
            iter: 12,
            threads: 1);
    }

    /// <summary>The invariants of one read of the order's live state, now.</summary>
    private async Task HoldsAsync(HttpClient ops, string id, Ride? ride)
    {
        var now = _host.Clock!.GetUtcNow();
        var live = await (await ops.GetAsync($"/api/orders/{id}/live")).ReadJsonAsync();
        var eta = live["eta"] as JsonObject;
        eta.Should().NotBeNull($"an order on its way has an estimate: {live}");
        var (expected, earliest, latest) = (At(eta!, "estimatedAt"), At(eta!, "earliest"), At(eta!, "latest"));
        expected.Should().BeOnOrAfter(now, $"an order not yet delivered is not due in the past: {live}");
        earliest.Should().BeOnOrBefore(expected);
        latest.Should().BeOnOrAfter(expected);
        (latest - earliest).Should().BePositive($"the likely range is never a point: {live}");
        if (ride is not null && now - ride.Assigned < TimeSpan.FromMinutes(1))
        {
            eta!["confidence"]?.GetValue<string>().Should().Be("Low", $"a ride under a minute old has nothing to judge it by: {live}");
        }

        if (ride is not null && now - (ride.LastFix ?? ride.Assigned) > TimeSpan.FromSeconds(90))
        {
            // Noticed by the next refresh round, which runs as the clock moves: not necessarily by this very read.
            await ops.LiveWhen(id, l => l["eta"]?["confidence"]?.GetValue<string>() == "Low");
        }
    }

    private static DateTimeOffset At(JsonObject eta, string name) => eta[name]!.GetValue<DateTimeOffset>();

    /// <summary>Where the rider is and when it last reported.</summary>
    private sealed record Ride(
        DateTimeOffset Assigned, (double Latitude, double Longitude) At, (double Latitude, double Longitude) Customer, DateTimeOffset? LastFix = null)
    {
        public Ride Move(Leg leg, int meters, DateTimeOffset now)
        {
            var (north, east) = Toward(At, Customer);
            var (n, e) = leg switch
            {
                Leg.Approach => (north * meters, east * meters),
                Leg.Detour => (-east * meters, north * meters),
                _ => (meters % 7.0, 0.0),
            };
            return this with { At = RiderApp.Offset(At.Latitude, At.Longitude, n, e), LastFix = now };
        }

        private static (double North, double East) Toward((double Latitude, double Longitude) from, (double Latitude, double Longitude) to)
        {
            var north = to.Latitude - from.Latitude;
            var east = (to.Longitude - from.Longitude) * Math.Cos(from.Latitude * Math.PI / 180);
            var length = Math.Sqrt((north * north) + (east * east));
            return length < 1e-9 ? (0, 0) : (north / length, east / length);
        }
    }
}
