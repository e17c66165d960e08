using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Features.Eta;
using XiaoxiangTracking.Modules.Tracking.Settings;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Eta;

public class EtaTests(ITestOutputHelper output)
{
    /// <summary>10:00 in Shanghai, so a morning of deliveries falls within one local hour.</summary>
    private static readonly DateTimeOffset Morning = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddHours(2);

    /// <summary>Estimates kept to the second, for tests of what the model computes (customers are shown whole minutes).</summary>
    private const string Precise = "00:00:01";

    private static readonly double RouteMeters = GeoDistance.Meters(new GeoCoordinate(31.22, 121.54), new GeoCoordinate(31.2304, 121.4737));

    [Fact]
    public async Task The_estimate_comes_earlier_as_a_fast_rider_closes_in_and_always_lies_within_its_range()
    {
        using var host = new TrackingHostFactory().WithClock(Morning).With("Tracking:Eta:Resolution", Precise);
        var client = host.CreateClient();
        var (orderId, rider) = await DeliveringOrder(host, client);
        var estimates = new List<(DateTimeOffset At, LiveEtaView Eta)>();
        estimates.Add((host.Clock!.GetUtcNow(), await Eta(client, orderId)));

        // 8 m/s, twice the default speed: every estimate is earlier than the one before.
        foreach (var fraction in new[] { 0.25, 0.5, 0.75 })
        {
            host.Clock.Advance(TimeSpan.FromSeconds(RouteMeters * 0.25 / 8));
            await client.ReportAsync(rider, RiderApp.AlongRoute(fraction), host.Clock.GetUtcNow());
            var previous = estimates[^1].Eta.EstimatedAt;
            estimates.Add((host.Clock.GetUtcNow(), await Eventually.Until(async () =>
                await Eta(client, orderId) is { } eta && eta.EstimatedAt < previous ? eta : null)));
        }

        estimates.Select(e => e.Eta.EstimatedAt - e.At).Should().BeInDescendingOrder();
        estimates.Should().OnlyContain(e => e.Eta.Earliest <= e.Eta.EstimatedAt && e.Eta.EstimatedAt <= e.Eta.Latest && !e.Eta.Learned);
        // At 3/4 of the way, at the default 4 m/s: the last quarter of the route.
        (estimates[^1].Eta.EstimatedAt - estimates[^1].At).TotalSeconds.Should().BeApproximately(RouteMeters / 4 / 4, 5);
    }

    [Fact]
    public async Task A_rider_keeping_the_expected_pace_keeps_the_expected_time_and_pushes_rarely()
    {
        using var host = new TrackingHostFactory().WithClock(Morning);
        var client = host.CreateClient();
        var (orderId, rider) = await DeliveringOrder(host, client);
        var first = await Eta(client, orderId);

        // Exactly the default 4 m/s, reporting every 15 s for five minutes.
        for (var i = 1; i <= 20; i++)
        {
            host.Clock!.Advance(TimeSpan.FromSeconds(15));
            await client.ReportAsync(rider, RiderApp.AlongRoute(i * 15 * 4 / RouteMeters), host.Clock.GetUtcNow());
        }

        await client.LiveWhen(orderId, l => l["position"]?["fixTime"]?.GetValue<DateTimeOffset>() == host.Clock!.GetUtcNow());
        // The estimate follows the moves through the evaluation queue and the outbox: wait for it to have caught up.
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == orderId && d.Version > 3 && d.Eta?.Confidence == "High");
        // Twenty fixes, and the expected time holds: the few pushes there are come from the confidence becoming known
        // (High: every report on time) and the likely range narrowing as the ride shortens — not from every fix.
        var etaDeltas = host.Notifications.Deltas(orderId).Where(d => d.Version > 3 && d.Eta is not null).ToList();
        etaDeltas.Count.Should().BeLessThanOrEqualTo(5);
        etaDeltas.Should().OnlyContain(d => (d.Eta!.EstimatedAt - first.EstimatedAt).Duration() < TimeSpan.FromMinutes(1));
        etaDeltas.Should().Contain(d => d.Eta!.Confidence == "High");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    public async Task The_estimate_learns_from_past_deliveries_in_the_same_area_and_hour(int pastRideMinutes)
    {
        // Five rides picked up at 10:00 and delivered pastRideMinutes later: faster (10) or slower (40) than the
        // default speed's 26.7 minutes for the 6.4 km.
        using var host = new TrackingHostFactory().WithClock(Morning).With("Tracking:Eta:Resolution", Precise);
        var client = host.CreateClient();
        var past = new List<(string OrderId, string RiderId)>();
        for (var i = 0; i < 5; i++)
        {
            past.Add(await DeliveringOrder(host, client));
        }

        host.Clock!.Advance(TimeSpan.FromMinutes(pastRideMinutes));
        foreach (var (pastOrder, pastRider) in past)
        {
            (await client.DeliveredAsync(pastOrder, pastRider)).EnsureSuccessStatusCode();
            await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == pastOrder && d.Active == false);
        }

        var (orderId, _) = await DeliveringOrder(host, client);
        var eta = await Eta(client, orderId);

        var minutes = (eta.EstimatedAt - host.Clock.GetUtcNow()).TotalMinutes;
        eta.Learned.Should().BeTrue();
        minutes.Should().BeApproximately(pastRideMinutes, 0.1);
        output.WriteLine($"Past rides of {pastRideMinutes} min over {RouteMeters:0} m: the next ride is estimated at {minutes:0.0} min "
            + $"(the default speed would say {RouteMeters / 4 / 60:0.0} min).");
    }

    [Fact]
    public async Task A_delivery_filed_this_instant_is_learned_from_by_the_next_estimate()
    {
        // Learned speeds are kept for a minute per area and hour; a delivery's speed filed here must not wait for that.
        using var host = new TrackingHostFactory().WithClock(Morning).With("Tracking:Eta:Resolution", Precise);
        var client = host.CreateClient();
        var past = new List<(string OrderId, string RiderId)>();
        for (var i = 0; i < 5; i++)
        {
            past.Add(await DeliveringOrder(host, client));
        }

        host.Clock!.Advance(TimeSpan.FromMinutes(10));
        var (before, _) = await DeliveringOrder(host, client);
        (await Eta(client, before)).Learned.Should().BeFalse("no delivery has completed yet");

        // Same instant: the five deliveries complete, and the next order is estimated from them.
        foreach (var (pastOrder, pastRider) in past)
        {
            (await client.DeliveredAsync(pastOrder, pastRider)).EnsureSuccessStatusCode();
            await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == pastOrder && d.Active == false);
        }

        var (after, _) = await DeliveringOrder(host, client);
        var eta = await Eta(client, after);
        eta.Learned.Should().BeTrue();
        (eta.EstimatedAt - host.Clock.GetUtcNow()).TotalMinutes.Should().BeApproximately(10, 0.1);
    }

    [Fact]
    public async Task Deliveries_faster_than_a_rider_can_ride_teach_the_estimate_nothing()
    {
        using var host = new TrackingHostFactory().WithClock(Morning).With("Tracking:Eta:Resolution", Precise);
        var client = host.CreateClient();
        var past = new List<(string OrderId, string RiderId)>();
        for (var i = 0; i < 5; i++)
        {
            past.Add(await DeliveringOrder(host, client));
        }

        // 6.4 km in four minutes is 27 m/s: marked delivered at the warehouse door, not ridden.
        host.Clock!.Advance(TimeSpan.FromMinutes(4));
        foreach (var (pastOrder, pastRider) in past)
        {
            (await client.DeliveredAsync(pastOrder, pastRider)).EnsureSuccessStatusCode();
            await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == pastOrder && d.Active == false);
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Modules.Tracking.Persistence.TrackingDbContext>();
            (await db.DeliverySpeeds.CountAsync()).Should().Be(0, "none of them is filed");
            // As rides filed before they were checked would be: the estimate does not learn from them either.
            var area = Geohash.Encode(31.2304, 121.4737, 5);
            db.DeliverySpeeds.AddRange(Enumerable.Range(0, 5).Select(i =>
                new Modules.Tracking.Domain.DeliverySpeed($"too-fast-{i}", area, Morning.ToOffset(TimeSpan.FromHours(8)).Hour, RouteMeters, 60, Morning)));
            await db.SaveChangesAsync();
        }

        host.Clock.Advance(TimeSpan.FromMinutes(2)); // past the minute learned speeds are kept
        var (orderId, _) = await DeliveringOrder(host, client);
        var eta = await Eta(client, orderId);
        eta.Learned.Should().BeFalse();
        (eta.EstimatedAt - host.Clock.GetUtcNow()).TotalSeconds.Should().BeApproximately(RouteMeters / 4, 1, "the default speed");
    }

    [Fact]
    public async Task A_speed_learned_while_a_delivery_was_being_filed_is_not_kept()
    {
        var speeds = new LearnedSpeeds(new FakeTimeProvider(Morning));
        var learned = 0;
        var slow = new RideSpeed(2, 1, 3, Learned: true);
        var fast = new RideSpeed(6, 5, 7, Learned: true);

        // The delivery is filed after the history was read but before the speed read from it is kept.
        (await speeds.GetAsync("wtw", 10, () => { learned++; speeds.Forget(); return Task.FromResult(slow); })).Should().Be(slow);
        (await speeds.GetAsync("wtw", 10, () => { learned++; return Task.FromResult(fast); })).Should().Be(fast, "the speed read before the delivery was filed is learned afresh");
        (await speeds.GetAsync("wtw", 10, () => { learned++; return Task.FromResult(slow); })).Should().Be(fast, "a speed learned undisturbed is kept for a minute");
        learned.Should().Be(2);
    }

    [Fact]
    public void On_replayed_history_the_learned_speed_beats_the_default_speed_by_more_than_half()
    {
        // A month of deliveries whose speed depends on the hour (rush hours are slow) with ±15 % noise; each is
        // estimated from the 50 latest before it in its hour, as the service does.
        var options = new EtaOptions();
        var random = new Random(20261125);
        double SpeedAt(int hour) => hour is >= 7 and <= 9 or >= 17 and <= 19 ? 2.5 : hour is >= 22 or <= 5 ? 6.5 : 4.5;
        var history = new Dictionary<int, List<(double Meters, double Seconds)>>();
        double learnedError = 0, defaultError = 0;
        var predictions = 0;
        for (var day = 0; day < 30; day++)
        {
            for (var hour = 0; hour < 24; hour++)
            {
                for (var ride = 0; ride < 6; ride++)
                {
                    var meters = 1_000 + (random.NextDouble() * 5_000);
                    var seconds = meters / (SpeedAt(hour) * (0.85 + (random.NextDouble() * 0.3)));
                    var past = history.TryGetValue(hour, out var rides) ? rides : history[hour] = [];
                    if (day >= 7)
                    {
                        var learned = EtaModel.Learn([.. past.TakeLast(options.MaxSamples)], options);
                        learnedError += Math.Abs((meters / learned.Typical) - seconds);
                        defaultError += Math.Abs((meters / options.DefaultSpeedMetersPerSecond) - seconds);
                        predictions++;
                    }

                    past.Add((meters, seconds));
                }
            }
        }

        var learnedMae = TimeSpan.FromSeconds(learnedError / predictions);
        var defaultMae = TimeSpan.FromSeconds(defaultError / predictions);
        output.WriteLine($"ETA mean absolute error over {predictions} replayed rides: learned {learnedMae.TotalMinutes:0.00} min, default speed {defaultMae.TotalMinutes:0.00} min.");
        learnedMae.Should().BeLessThan(defaultMae / 2);
    }

    [Fact]
    public void Without_enough_history_the_default_speed_and_spread_apply()
    {
        var options = new EtaOptions();

        var speed = EtaModel.Learn([(1_000, 100), (1_000, 200)], options);

        speed.Learned.Should().BeFalse();
        speed.Typical.Should().Be(4);
        speed.Slow.Should().BeApproximately(4 / 1.25, 1e-9);
        speed.Fast.Should().BeApproximately(4 / 0.75, 1e-9);
    }

    private sealed record LiveEtaView(DateTimeOffset EstimatedAt, DateTimeOffset Earliest, DateTimeOffset Latest, bool Learned);

    private static async Task<LiveEtaView> Eta(HttpClient client, string orderId)
    {
        var live = await client.LiveWhen(orderId, l => l["eta"] is not null);
        var eta = live["eta"]!;
        return new LiveEtaView(eta["estimatedAt"]!.GetValue<DateTimeOffset>(), eta["earliest"]!.GetValue<DateTimeOffset>(),
            eta["latest"]!.GetValue<DateTimeOffset>(), eta["learned"]!.GetValue<bool>());
    }

    private static async Task<(string OrderId, string RiderId)> DeliveringOrder(TrackingHostFactory host, HttpClient client)
    {
        var rider = RiderApp.NewRider();
        var order = await client.PlaceAsync();
        (await client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        (await client.PickedAsync(order.Id(), rider)).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == order.Id() && d.Version == 3);
        return (order.Id(), rider);
    }
}

public class EtaBeforeRiderTests
{
    // The ride here is estimated at the default speed: only the warehouse's pace is learned in these tests.
    private static readonly DateTimeOffset Morning = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Estimates kept to the second, for tests of what the model computes (customers are shown whole minutes).</summary>
    private const string Precise = "00:00:01";
    private static readonly double RideSeconds =
        GeoDistance.Meters(new GeoCoordinate(31.22, 121.54), new GeoCoordinate(31.2304, 121.4737)) / 4;

    [Fact]
    public async Task While_the_warehouse_picks_the_ETA_is_picking_left_plus_the_wait_for_a_rider_plus_the_ride()
    {
        using var host = new TrackingHostFactory().WithClock(Morning).With("Tracking:Eta:Resolution", Precise);
        var client = host.CreateClient();
        var order = await client.PlaceAsync();
        var id = order.Id();

        (await client.PayAsync(id, order.Total())).EnsureSuccessStatusCode();

        // Three items at the default 45 s each, a 2-minute wait for a rider, the ride at the default 4 m/s.
        var paid = await client.LiveWhen(id, l => l["eta"] is not null);
        paid["status"]!.GetValue<int>().Should().Be(2);
        Seconds(paid).Should().BeApproximately((3 * 45) + 120 + RideSeconds, 1);

        host.Clock!.Advance(TimeSpan.FromSeconds(60));
        (await client.PostAsJsonAsync("/api/tracking/warehouse-stages",
            new { orderId = id, warehouseId = OrderRequests.WarehouseId, stage = "Packed" })).EnsureSuccessStatusCode();

        // Packed: a tenth of the picking is left.
        var packed = await client.LiveWhen(id, l => Seconds(l, host.Clock.GetUtcNow()) < 13.5 + 120 + RideSeconds + 30);
        Seconds(packed, host.Clock.GetUtcNow()).Should().BeApproximately(13.5 + 120 + RideSeconds, 1);

        host.Clock.Advance(TimeSpan.FromSeconds(30));
        (await client.HandOverForDispatchAsync(id)).EnsureSuccessStatusCode();

        // Handed over, no rider near: the wait for one and the ride.
        var waiting = await client.LiveWhen(id, l => l["status"]!.GetValue<int>() == 3);
        waiting["riderId"].Should().BeNull();
        Seconds(waiting, host.Clock.GetUtcNow()).Should().BeApproximately(120 + RideSeconds, 1);
    }

    [Fact]
    public async Task A_warehouse_that_picks_faster_than_the_default_shortens_the_ETA_of_its_next_orders()
    {
        // Five past orders picked in one minute each (3 items: 20 s per item) and their riders assigned at hand-over.
        using var host = new TrackingHostFactory().WithClock(Morning).With("Tracking:Eta:Resolution", Precise);
        var client = host.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            var past = await client.PlaceAsync();
            (await client.PayAsync(past.Id(), past.Total())).EnsureSuccessStatusCode();
            await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == past.Id() && d.Version == 2);
            host.Clock!.Advance(TimeSpan.FromMinutes(1));
            (await client.PickedAsync(past.Id(), RiderApp.NewRider())).EnsureSuccessStatusCode();
            await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == past.Id() && d.Version == 3);
        }

        var order = await client.PlaceAsync();
        (await client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();

        var live = await client.LiveWhen(order.Id(), l => l["eta"] is not null);
        live["eta"]!["learned"]!.GetValue<bool>().Should().BeTrue();
        Seconds(live, host.Clock!.GetUtcNow()).Should().BeApproximately((3 * 20) + 0 + RideSeconds, 1, "picking at 20 s per item, no wait for riders");
    }

    private static double Seconds(System.Text.Json.Nodes.JsonObject live, DateTimeOffset? now = null) =>
        (live["eta"]!["estimatedAt"]!.GetValue<DateTimeOffset>() - (now ?? Morning)).TotalSeconds;
}
