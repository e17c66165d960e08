using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Tracking;

public class OrderTrajectoryTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task The_trajectory_is_the_riders_path_since_hand_over_with_a_time_per_point()
    {
        var rider = RiderApp.NewRider();
        var (orderId, pickedAt) = await DeliveringOrder(rider);
        await Post(rider, Fix("before", pickedAt.AddSeconds(-30), 0));
        await Post(rider, [.. Enumerable.Range(1, 10).Select(i => Fix($"p{i}", pickedAt.AddSeconds(i), i))]);

        var trajectory = await TrajectoryWhen(orderId, t => t["properties"]!["recordedPoints"]!.GetValue<int>() == 10);

        trajectory["type"]!.GetValue<string>().Should().Be("Feature");
        trajectory["geometry"]!["type"]!.GetValue<string>().Should().Be("LineString");
        var coordinates = trajectory["geometry"]!["coordinates"]!.AsArray();
        var times = trajectory["properties"]!["times"]!.AsArray().Select(t => t!.GetValue<DateTimeOffset>()).ToList();
        coordinates.Should().HaveCount(10);
        times.Should().HaveCount(10).And.BeInAscendingOrder();
        times[0].Should().Be(pickedAt.AddSeconds(1));
        // GeoJSON is [longitude, latitude]; the first fix is 10 m east of 121.4737.
        coordinates[0]![0]!.GetValue<double>().Should().BeApproximately(121.4737 + (10 / (111_320 * Math.Cos(31.2304 * Math.PI / 180))), 1e-9);
        coordinates[0]![1]!.GetValue<double>().Should().BeApproximately(31.2304, 1e-9);
        trajectory["properties"]!["riderId"]!.GetValue<string>().Should().Be(rider);
    }

    [Fact]
    public async Task A_tolerance_in_metres_simplifies_a_straight_path_to_its_ends_and_keeps_their_times()
    {
        var rider = RiderApp.NewRider();
        var (orderId, pickedAt) = await DeliveringOrder(rider);
        await Post(rider, [.. Enumerable.Range(1, 10).Select(i => Fix($"p{i}", pickedAt.AddSeconds(i), i, wobbleMeters: i % 2 == 0 ? 2 : -2))]);

        var exact = await TrajectoryWhen(orderId, t => t["properties"]!["recordedPoints"]!.GetValue<int>() == 10);
        var simplified = await (await _client.GetAsync($"/api/orders/{orderId}/trajectory?tolerance=10")).ReadJsonAsync();

        exact["geometry"]!["coordinates"]!.AsArray().Should().HaveCount(10);
        simplified["geometry"]!["coordinates"]!.AsArray().Should().HaveCount(2);
        simplified["properties"]!["times"]!.AsArray().Select(t => t!.GetValue<DateTimeOffset>())
            .Should().Equal(pickedAt.AddSeconds(1), pickedAt.AddSeconds(10));
    }

    [Fact]
    public async Task Before_hand_over_the_trajectory_is_empty_an_unknown_order_is_404_and_a_bad_tolerance_is_400()
    {
        var order = await _client.PlaceAsync();
        await host.Notifications.WaitFor<Modules.Orders.Contracts.OrderPlaced>(n => n.OrderId == order.Id());

        var empty = await TrajectoryWhen(order.Id(), _ => true);
        var unknown = await _client.GetAsync("/api/orders/00000000000000000000000000000000/trajectory");
        var bad = await _client.GetAsync($"/api/orders/{order.Id()}/trajectory?tolerance=-1");

        empty["geometry"].Should().BeNull();
        empty["properties"]!["recordedPoints"]!.GetValue<int>().Should().Be(0);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("toleranceMeters");
    }

    private async Task<(string OrderId, DateTimeOffset PickedAt)> DeliveringOrder(string rider)
    {
        var order = await _client.PlaceAsync();
        (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        var picked = await (await _client.PickedAsync(order.Id(), rider)).ReadJsonAsync();
        var pickedAt = picked["updatedAt"]!.GetValue<DateTimeOffset>();
        await host.Notifications.WaitFor<Modules.Orders.Contracts.OrderPicked>(n => n.OrderId == order.Id());
        return (order.Id(), pickedAt);
    }

    /// <summary>10 m east per step along Century Avenue; an optional north wobble of a few metres (GPS noise).</summary>
    private static JsonObject Fix(string pointId, DateTimeOffset at, int step, double wobbleMeters = 0) => new()
    {
        ["pointId"] = pointId,
        ["fixTime"] = at,
        ["latitude"] = 31.2304 + (wobbleMeters / 111_320),
        ["longitude"] = 121.4737 + (step * 10 / (111_320 * Math.Cos(31.2304 * Math.PI / 180))),
        ["accuracy"] = 5,
    };

    private async Task Post(string rider, params JsonObject[] fixes)
    {
        var reply = await (await _client.PostAsJsonAsync("/api/tracking/positions/batch",
            new JsonObject { ["riderId"] = rider, ["positions"] = new JsonArray(fixes) })).ReadJsonAsync();
        reply["accepted"]!.GetValue<int>().Should().Be(fixes.Length, reply.ToJsonString());
    }

    /// <summary>The timeline entries arrive through the outbox after commit: read until they have (bounded).</summary>
    private Task<JsonObject> TrajectoryWhen(string orderId, Func<JsonObject, bool> ready) =>
        Eventually.Until(async () =>
        {
            var response = await _client.GetAsync($"/api/orders/{orderId}/trajectory");
            return response.IsSuccessStatusCode && await response.ReadJsonAsync() is var trajectory && ready(trajectory)
                ? trajectory
                : null;
        });
}

/// <summary>The trajectory's time window on a clock the test drives: reassignment hands it over, delivery closes it.</summary>
public class OrderTrajectoryWindowTests
{
    [Fact]
    public async Task Each_rider_contributes_their_assignment_window_and_delivery_closes_the_path()
    {
        using var host = new TrackingHostFactory().WithClock();
        var client = host.CreateClient();
        var clock = host.Clock!;
        var orderId = await DispatchTests.PaidOrder(client, host);
        (await client.PickedAsync(orderId, "rider-a")).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == orderId);

        clock.Advance(TimeSpan.FromSeconds(15));
        await client.ReportAsync("rider-a", RiderApp.NearWarehouse(0, 100), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(15));
        (await client.PutAsJsonAsync($"/api/tracking/orders/{orderId}/rider", new { riderId = "rider-b" }))
            .EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromSeconds(15));
        await client.ReportAsync("rider-a", RiderApp.NearWarehouse(0, 300), clock.GetUtcNow());
        await client.ReportAsync("rider-b", RiderApp.NearWarehouse(0, 200), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(15));
        await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == orderId && a.Assignment == 2);
        await Eventually.Until(async () =>
            (await (await client.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync())["riderId"]!.GetValue<string>() == "rider-b");
        (await client.DeliveredAsync(orderId, "rider-b")).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == orderId && d.Active == false);
        // The timeline records the delivery in its own handler of the same notification: wait for it too.
        await Eventually.Until(async () => (await client.GetStringAsync($"/api/orders/{orderId}/timeline")).Contains("\"OrderDelivered\"", StringComparison.Ordinal));
        clock.Advance(TimeSpan.FromSeconds(15));
        await client.ReportAsync("rider-b", RiderApp.NearWarehouse(0, 400), clock.GetUtcNow());

        var trajectory = await (await client.GetAsync($"/api/orders/{orderId}/trajectory")).ReadJsonAsync();

        // rider-a's fix before the reassignment, rider-b's after it; rider-a's later fix and rider-b's after delivery are not the order's.
        var east = trajectory["geometry"]!["coordinates"]!.AsArray()
            .Select(c => Math.Round((c![0]!.GetValue<double>() - 121.54) * 111_320 * Math.Cos(31.22 * Math.PI / 180)))
            .ToList();
        east.Should().Equal(100, 200);
        trajectory["properties"]!["riderId"]!.GetValue<string>().Should().Be("rider-b");
        trajectory["properties"]!["recordedPoints"]!.GetValue<int>().Should().Be(2);
    }
}
