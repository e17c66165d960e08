using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Tracking;

/// <summary>
/// Each test runs its own host: dispatch looks at every rider near the warehouse, so riders of one test must not be
/// candidates in another.
/// </summary>
public class DispatchTests
{
    [Fact]
    public async Task The_nearest_fresh_rider_within_reach_gets_an_order_handed_over_without_one()
    {
        using var host = new TrackingHostFactory()
            .With("Tracking:Dispatch:PositionFreshness", "00:01:00")
            .With("Tracking:Dispatch:MaxDistanceMeters", "3000");
        var client = host.CreateClient();
        var now = DateTimeOffset.UtcNow;
        await client.ReportAsync("rider-near", RiderApp.NearWarehouse(400), now);
        await client.ReportAsync("rider-farther", RiderApp.NearWarehouse(0, 900), now);
        await client.ReportAsync("rider-stale", RiderApp.NearWarehouse(50), now.AddMinutes(-3));
        await client.ReportAsync("rider-out-of-reach", RiderApp.NearWarehouse(-3500), now);
        var orderId = await PaidOrder(client, host);

        (await client.HandOverForDispatchAsync(orderId)).EnsureSuccessStatusCode();

        var assigned = await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == orderId);
        assigned.RiderId.Should().Be("rider-near");
        assigned.Source.Should().Be(AssignmentSource.Dispatch);
        assigned.Assignment.Should().Be(1);
        assigned.PreviousRiderId.Should().BeNull();
        assigned.DistanceMeters.Should().BeApproximately(400, 5);
        var order = await Eventually.Until(async () =>
            await (await client.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync() is { } o && o["riderId"] is not null ? o : null);
        order["riderId"]!.GetValue<string>().Should().Be("rider-near");
        order["status"]!.GetValue<int>().Should().Be(3);
        var live = await client.LiveWhen(orderId, l => l["riderId"] is not null);
        live["riderId"]!.GetValue<string>().Should().Be("rider-near");
        live["position"]!["latitude"]!.GetValue<double>().Should().BeApproximately(RiderApp.NearWarehouse(400).Latitude, 1e-9);
        var timeline = await (await client.GetAsync($"/api/orders/{orderId}/timeline")).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonArray>();
        timeline!.Select(e => e!["event"]!.GetValue<string>()).Should().EndWith(["OrderPicked", "RiderAssigned"]);
        timeline![^1]!["operatorId"]!.GetValue<string>().Should().Be("rider-near");
    }

    [Fact]
    public async Task A_dispatched_assignment_is_recorded_after_the_hand_over_that_caused_it()
    {
        using var host = new TrackingHostFactory();
        var client = host.CreateClient();
        await client.ReportAsync("rider-near", RiderApp.NearWarehouse(200), DateTimeOffset.UtcNow);
        var orderId = await PaidOrder(client, host);

        (await client.HandOverForDispatchAsync(orderId)).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == orderId);

        // The order in which the timeline's rows were committed: the hand-over is on the timeline before dispatch
        // runs, so no reader ever finds the assignment without the hand-over that caused it.
        var committed = await Eventually.Until(() =>
        {
            using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT event_type FROM tracking_order_tracking WHERE order_id = $order ORDER BY rowid";
            command.Parameters.AddWithValue("$order", orderId);
            using var reader = command.ExecuteReader();
            var events = new List<string>();
            while (reader.Read())
            {
                events.Add(reader.GetString(0));
            }

            return Task.FromResult(events.Count == 4 ? events : null);
        });
        committed.Should().Equal("OrderPlaced", "OrderPaid", "OrderPicked", "RiderAssigned");
    }

    [Fact]
    public async Task A_rider_at_the_load_limit_is_skipped_and_load_weighs_against_distance()
    {
        using var host = new TrackingHostFactory()
            .With("Tracking:Dispatch:MaxActiveOrdersPerRider", "2")
            .With("Tracking:Dispatch:ActiveOrderPenaltyMeters", "1000");
        var client = host.CreateClient();
        var now = DateTimeOffset.UtcNow;
        await client.ReportAsync("rider-full", RiderApp.NearWarehouse(100), now);
        await client.ReportAsync("rider-busy", RiderApp.NearWarehouse(200), now);
        await client.ReportAsync("rider-idle", RiderApp.NearWarehouse(1500), now);
        foreach (var rider in new[] { "rider-full", "rider-full", "rider-busy" })
        {
            var running = await PaidOrder(client, host);
            (await client.PickedAsync(running, rider)).EnsureSuccessStatusCode();
            await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == running);
        }

        // rider-full (100 m, 2 orders) is at the limit; rider-busy scores 200 + 1000, rider-idle 1500 + 0.
        var first = await PaidOrder(client, host);
        (await client.HandOverForDispatchAsync(first)).EnsureSuccessStatusCode();
        (await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == first)).RiderId.Should().Be("rider-busy");

        // Now rider-busy is at the limit too: the idle rider, farthest away, is the one left.
        var second = await PaidOrder(client, host);
        (await client.HandOverForDispatchAsync(second)).EnsureSuccessStatusCode();
        (await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == second)).RiderId.Should().Be("rider-idle");
    }

    [Fact]
    public async Task With_no_rider_available_the_order_waits_and_is_assigned_on_a_later_retry()
    {
        using var host = new TrackingHostFactory().WithClock().With("Tracking:Dispatch:RetryInterval", "00:00:15");
        var client = host.CreateClient();
        var clock = host.Clock!;
        var orderId = await PaidOrder(client, host);

        (await client.HandOverForDispatchAsync(orderId)).EnsureSuccessStatusCode();

        await Eventually.Until(() => DispatchAttempted(host, orderId));
        var waiting = await client.LiveWhen(orderId, l => l["status"]!.GetValue<int>() == 3);
        waiting["riderId"].Should().BeNull();
        host.Notifications.Published.OfType<RiderAssigned>().Should().NotContain(a => a.OrderId == orderId);

        // A rider comes on shift near the warehouse; nothing happens until the retry is due.
        await client.ReportAsync("rider-late", RiderApp.NearWarehouse(300), clock.GetUtcNow());
        host.Notifications.Published.OfType<RiderAssigned>().Should().NotContain(a => a.OrderId == orderId);
        clock.Advance(TimeSpan.FromSeconds(15));

        var assigned = await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == orderId);
        assigned.RiderId.Should().Be("rider-late");
        (await Eventually.Until(async () =>
                await (await client.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync() is { } o && o["riderId"] is not null ? o : null))
            ["riderId"]!.GetValue<string>().Should().Be("rider-late");
    }

    [Fact]
    public async Task An_order_waiting_for_a_rider_is_logged_once_however_often_dispatch_retries()
    {
        using var host = new TrackingHostFactory().WithClock().With("Tracking:Dispatch:RetryInterval", "00:00:15").CaptureLogs();
        var client = host.CreateClient();
        var orderId = await PaidOrder(client, host);
        (await client.HandOverForDispatchAsync(orderId)).EnsureSuccessStatusCode();
        await Eventually.Until(() => DispatchAttempted(host, orderId));

        for (var retry = 1; retry <= 5; retry++)
        {
            host.Clock!.Advance(TimeSpan.FromSeconds(15));
            await Eventually.Until(() => host.Logs!.Messages.Any(m => m.Contains($"(attempt {retry + 1})", StringComparison.Ordinal)));
        }

        var noRider = host.Logs!.Messages.Where(m => m.Contains("No rider available", StringComparison.Ordinal)).ToList();
        noRider.Should().HaveCount(6);
        noRider.Where(m => m.StartsWith("Information", StringComparison.Ordinal)).Should().ContainSingle();
    }

    [Fact]
    public async Task An_operator_reassigns_the_rider_and_only_the_new_rider_can_deliver()
    {
        using var host = new TrackingHostFactory();
        var client = host.CreateClient();
        var orderId = await PaidOrder(client, host);
        (await client.PickedAsync(orderId, "rider-a")).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == orderId);
        await client.ReportAsync("rider-b", RiderApp.NearWarehouse(800), DateTimeOffset.UtcNow);

        var response = await host.ClientFor(TestCaller.Ops("ops-zhang")).PutAsJsonAsync($"/api/tracking/orders/{orderId}/rider", new { riderId = "rider-b" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var live = await response.ReadJsonAsync();
        live["riderId"]!.GetValue<string>().Should().Be("rider-b");
        live["position"]!["latitude"]!.GetValue<double>().Should().BeApproximately(RiderApp.NearWarehouse(800).Latitude, 1e-9);
        var reassigned = await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == orderId && a.Assignment == 2);
        reassigned.Should().BeEquivalentTo(new
        {
            RiderId = "rider-b",
            PreviousRiderId = "rider-a",
            Source = AssignmentSource.Operator,
            OperatorId = "ops-zhang",
        });
        await Eventually.Until(async () =>
            (await (await client.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync())["riderId"]!.GetValue<string>() == "rider-b");
        (await client.DeliveredAsync(orderId, "rider-a")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.DeliveredAsync(orderId, "rider-b")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reassignment_needs_an_order_being_delivered_a_known_order_and_valid_ids()
    {
        using var host = new TrackingHostFactory();
        var client = host.CreateClient();
        var paid = await PaidOrder(client, host);

        var notDelivering = await client.PutAsJsonAsync($"/api/tracking/orders/{paid}/rider", new { riderId = "rider-b" });
        var unknown = await client.PutAsJsonAsync("/api/tracking/orders/00000000000000000000000000000000/rider", new { riderId = "rider-b" });
        var invalid = await client.PutAsJsonAsync($"/api/tracking/orders/{paid}/rider", new { riderId = "" });
        var operatorInBody = await client.PutAsJsonAsync($"/api/tracking/orders/{paid}/rider", new { riderId = "rider-b", operatorId = "ops-zhang" });

        notDelivering.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await notDelivering.ReadJsonAsync())["code"]!.GetValue<string>().Should().Be("not_delivering");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await invalid.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("riderId");
        // The operator is the caller: a request naming one is refused, not obeyed.
        operatorInBody.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var refused = (await operatorInBody.ReadJsonAsync())["errors"]!.AsObject();
        refused.Select(e => e.Key).Should().BeEquivalentTo("operatorId");
        refused["operatorId"]![0]!.GetValue<string>().Should().Contain("no such field");
    }

    internal static async Task<string> PaidOrder(HttpClient client, TrackingHostFactory host)
    {
        var order = await client.PlaceAsync();
        (await client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == order.Id() && d.Status == Modules.Orders.Contracts.OrderStatus.Paid);
        return order.Id();
    }

    private static async Task<bool> DispatchAttempted(TrackingHostFactory host, string orderId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        return await db.LiveOrders.AnyAsync(l => l.OrderId == orderId && l.DispatchAttempts > 0);
    }
}
