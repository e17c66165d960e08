using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Notifications;

public class TrackingHubTests(SteadyEtaHostFactory host) : IClassFixture<SteadyEtaHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task A_subscriber_gets_a_snapshot_then_every_status_and_position_delta_in_order(HttpTransportType transport)
    {
        var rider = RiderApp.NewRider();
        var order = await _client.PlaceAsync();
        var id = order.Id();
        await using var customer = await HubClient.ConnectAsync(host, transport, caller: OrderRequests.Customer);

        await customer.SubscribeOrderAsync(id);
        await customer.WaitForVersion(id, 1);
        (await _client.PayAsync(id, order.Total())).EnsureSuccessStatusCode();
        (await _client.PickedAsync(id, rider)).EnsureSuccessStatusCode();
        await customer.WaitForVersion(id, 3);
        var fixTime = DateTimeOffset.UtcNow;
        var at = RiderApp.NearWarehouse(123.4, 56.7);
        await _client.ReportAsync(rider, at, fixTime);
        await customer.WaitForVersion(id, 4);
        (await _client.DeliveredAsync(id, rider)).EnsureSuccessStatusCode();

        var final = await customer.WaitForVersion(id, 5);
        var updates = customer.For(id);
        updates.Select(u => (u.TrackingVersion, u.Snapshot)).Should().Equal((1, true), (2, false), (3, false), (4, false), (5, false));
        updates.Select(u => u.Status).Should().Equal(1, 2, 3, null, 4);
        // The customer view: never the rider's id; the position rounded to 4 decimals, only while delivering.
        updates.Should().OnlyContain(u => u.RiderId == null && u.CustomerId == null && u.DeliveryAddress == null && u.Destination == null);
        updates[3].Position.Should().BeEquivalentTo(new { Latitude = Math.Round(at.Latitude, 4), Longitude = Math.Round(at.Longitude, 4), FixTime = fixTime });
        updates[2].Eta.Should().NotBeNull("the first estimate comes with the rider");
        updates[4].Cleared.Should().Equal("position", "eta");
        final.Should().BeEquivalentTo(new { Version = 5L, Status = 4, Active = false, Position = (PositionMessage?)null, Eta = (EtaMessage?)null },
            "a delivered order has no rider on the way and nothing to expect");
        var live = await _client.LiveWhen(id, l => l["trackingVersion"]!.GetValue<long>() == 5);
        live["status"]!.GetValue<int>().Should().Be(final.Status);
    }

    [Fact]
    public async Task Reconnecting_with_the_last_version_delivers_exactly_the_missed_changes()
    {
        var rider = RiderApp.NewRider();
        var order = await _client.PlaceAsync();
        var id = order.Id();
        await using (var before = await HubClient.ConnectAsync(host))
        {
            await before.SubscribeOrderAsync(id);
            (await _client.PayAsync(id, order.Total())).EnsureSuccessStatusCode();
            await before.WaitForVersion(id, 2);
        }

        (await _client.PickedAsync(id, rider)).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == id && d.Version == 3);
        await _client.ReportAsync(rider, RiderApp.NearWarehouse(300), DateTimeOffset.UtcNow);
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == id && d.Version == 4);

        await using var after = await HubClient.ConnectAsync(host);
        await after.SubscribeOrderAsync(id, lastVersion: 2);

        await after.WaitForVersion(id, 4);
        // Nothing it had, nothing twice, no snapshot: just versions 3 and 4 as deltas.
        after.For(id).Select(u => (u.TrackingVersion, u.Snapshot)).Should().Equal((3, false), (4, false));
    }

    [Fact]
    public async Task Reconnecting_with_a_version_older_than_the_history_gets_a_snapshot_and_nothing_older()
    {
        using var shortMemory = new TrackingHostFactory().With("Notifications:DeltaHistory", "1");
        var client = shortMemory.CreateClient();
        var rider = RiderApp.NewRider();
        var order = await client.PlaceAsync();
        var id = order.Id();
        (await client.PayAsync(id, order.Total())).EnsureSuccessStatusCode();
        (await client.PickedAsync(id, rider)).EnsureSuccessStatusCode();
        await shortMemory.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == id && d.Version == 3);
        await client.LiveWhen(id, l => l["trackingVersion"]!.GetValue<long>() >= 3);

        await using var returning = await HubClient.ConnectAsync(shortMemory);
        await returning.SubscribeOrderAsync(id, lastVersion: 1);

        var state = await returning.WaitForVersion(id, 3);
        returning.For(id).Should().ContainSingle().Which.Should().Match<OrderUpdateMessage>(u => u.Snapshot && u.TrackingVersion >= 3);
        state.Status.Should().Be(3);
    }

    [Fact]
    public async Task A_version_the_order_never_reached_gets_a_snapshot_and_the_heartbeat_tells_the_orders_own_version()
    {
        using var beating = new TrackingHostFactory().With("Notifications:VersionCheckInterval", "00:00:01");
        var client = beating.CreateClient();
        var order = await client.PlaceAsync();
        var id = order.Id();
        (await client.PayAsync(id, order.Total())).EnsureSuccessStatusCode();
        await beating.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == id && d.Version == 2);
        await using var claiming = await HubClient.ConnectAsync(beating);
        var heartbeats = new ConcurrentQueue<long>();
        claiming.Connection.On<Dictionary<string, long>>("Versions", versions => heartbeats.Enqueue(versions.GetValueOrDefault(id, -1)));

        await claiming.SubscribeOrderAsync(id, lastVersion: 99);

        await Eventually.Until(() => claiming.For(id).Count > 0 && heartbeats.Count >= 2);
        claiming.For(id)[0].Should().Match<OrderUpdateMessage>(u => u.Snapshot && u.TrackingVersion == 2 && u.Status == 2,
            "a version above the order's own is treated as unknown");
        heartbeats.Should().OnlyContain(v => v == 2, "the heartbeat tells the server's version, not the client's claim");
        (await client.PickedAsync(id, RiderApp.NewRider())).EnsureSuccessStatusCode();
        (await claiming.WaitForVersion(id, 3)).Status.Should().Be(3, "the next change reaches it");
    }

    [Fact]
    public async Task A_change_that_arrives_after_a_newer_one_brings_the_newer_one_with_it()
    {
        var id = await DeliveringOrder(RiderApp.NewRider());
        await using var ops = await HubClient.ConnectAsync(host);
        await ops.SubscribeOrderAsync(id);
        await ops.WaitForVersion(id, 3);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            // Version 5 (a move, straight from the position writer) overtakes version 4 (an alert, through the outbox):
            // when 5 comes the client cannot be brought to it, and 4 must not leave it behind.
            var publisher = scope.ServiceProvider.GetRequiredService<Mediator.IPublisher>();
            var at = DateTimeOffset.UtcNow;
            await publisher.Publish(new OrderTrackingChanged(id, 5, null, null, new LivePosition(31.221, 121.54, at, null, null), null, at));
            // Real time for the connection's own pump to take version 5 alone, as it does when the outbox is a moment behind.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            await publisher.Publish(new OrderTrackingChanged(id, 4, null, null, null, null, at, [AlertType.Stall]));
        }

        var state = await ops.WaitForVersion(id, 5);
        state.Alerts.Should().Equal("Stall");
        state.Position!.Latitude.Should().Be(31.221);
        ops.For(id).Select(u => u.TrackingVersion).Should().Equal(3, 4, 5);
    }

    [Fact]
    public async Task Alerts_reach_ops_and_not_customers_and_both_see_the_arrival_estimate()
    {
        var rider = RiderApp.NewRider();
        var id = await DeliveringOrder(rider);
        await using var customer = await HubClient.ConnectAsync(host, caller: OrderRequests.Customer);
        await using var ops = await HubClient.ConnectAsync(host);
        await customer.SubscribeOrderAsync(id);
        await ops.Connection.InvokeAsync("SubscribeFleet", (string?)null);
        await customer.WaitForVersion(id, 3);
        await ops.WaitForVersion(id, 3);

        (await _client.PutAsJsonAsync($"/api/tracking/orders/{id}/rider", new { riderId = rider + "x" })).EnsureSuccessStatusCode();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // One the rules leave alone until the promised time (a stall, say, would be resolved by the next scan).
            await scope.ServiceProvider.GetRequiredService<Modules.Tracking.Features.Alerts.AlertBook>()
                .RaiseAsync(id, AlertType.TimeoutWarning, rider, new AlertFacts(AlertReason.DueSoon, Minutes: 5, PromisedAt: DateTimeOffset.UtcNow.AddMinutes(5)), null, false, CancellationToken.None);
        }

        var opsState = await ops.WaitForVersion(id, 5);
        var customerState = await customer.WaitForVersion(id, 5);
        opsState.Alerts.Should().Equal("TimeoutWarning");
        ops.For(id).Should().Contain(u => u.TrackingVersion == 5 && u.Alerts!.SequenceEqual(new[] { "TimeoutWarning" }));
        customerState.Alerts.Should().BeNull();
        customer.For(id).Should().OnlyContain(u => u.Alerts == null);
        customerState.Eta.Should().NotBeNull();
        customerState.Eta!.Earliest.Should().BeOnOrBefore(customerState.Eta.EstimatedAt);
        opsState.Eta.Should().BeEquivalentTo(customerState.Eta);
    }

    [Fact]
    public async Task A_client_that_silently_lost_a_delta_converges_after_the_next_one()
    {
        var rider = RiderApp.NewRider();
        var id = await DeliveringOrder(rider);
        await using var customer = await HubClient.ConnectAsync(host, caller: OrderRequests.Customer);
        await customer.SubscribeOrderAsync(id);
        await customer.WaitForVersion(id, 3);
        customer.Lose = u => u.OrderId == id && u.TrackingVersion == 4;

        var now = DateTimeOffset.UtcNow;
        await _client.ReportAsync(rider, RiderApp.NearWarehouse(100), now);
        await _client.ReportAsync(rider, RiderApp.NearWarehouse(200), now.AddSeconds(15));

        var state = await customer.WaitForVersion(id, 5);
        state.Position!.Latitude.Should().Be(Math.Round(RiderApp.NearWarehouse(200).Latitude, 4));
        customer.Resyncs.Should().Be(1);
    }

    [Fact]
    public async Task Subscribing_to_an_unknown_order_or_with_a_bad_version_is_a_hub_error()
    {
        await using var client = await HubClient.ConnectAsync(host);

        var placed = (await _client.PlaceAsync()).Id();
        var unknown = () => client.SubscribeOrderAsync("00000000000000000000000000000000");
        var badVersion = () => client.SubscribeOrderAsync(placed, -1);

        (await unknown.Should().ThrowAsync<HubException>()).WithMessage("*was not found*");
        (await badVersion.Should().ThrowAsync<HubException>()).WithMessage("*lastVersion*");
    }

    [Fact]
    public async Task Ops_watching_the_fleet_see_rider_ids_exact_positions_and_customers()
    {
        var rider = RiderApp.NewRider();
        var id = await DeliveringOrder(rider);
        await using var ops = await HubClient.ConnectAsync(host);

        await ops.Connection.InvokeAsync("SubscribeFleet", OrderRequests.WarehouseId);
        await ops.WaitForVersion(id, 3);
        var at = RiderApp.NearWarehouse(123.456, 78.9);
        await _client.ReportAsync(rider, at, DateTimeOffset.UtcNow);

        var state = await ops.WaitForVersion(id, 4);
        var snapshot = ops.For(id).First(u => u.Snapshot);
        snapshot.RiderId.Should().Be(rider);
        snapshot.CustomerId.Should().Be("c-10001");
        snapshot.DeliveryAddress.Should().StartWith("上海市浦东新区");
        snapshot.Destination.Should().Be(new PlaceMessage(31.2304, 121.4737));
        state.Position!.Latitude.Should().Be(at.Latitude);
        state.RiderId.Should().Be(rider);
    }

    [Fact]
    public async Task A_delta_on_the_wire_carries_only_what_changed_and_a_snapshot_only_what_is_known()
    {
        var rider = RiderApp.NewRider();
        var id = await DeliveringOrder(rider);
        var received = new ConcurrentQueue<JsonElement>();
        await using var browser = HubClient.Builder(host).Build();
        browser.On<JsonElement>("OrderUpdated", update => received.Enqueue(update));
        await browser.StartAsync();

        await browser.InvokeAsync("SubscribeOrder", id, (long?)null);
        await _client.ReportAsync(rider, RiderApp.NearWarehouse(200, 100), DateTimeOffset.UtcNow);

        await Eventually.Until(() => received.Any(u => u.GetProperty("trackingVersion").GetInt64() == 4));
        var delta = received.Single(u => u.GetProperty("trackingVersion").GetInt64() == 4);
        // A move: the order, its version and the position; what did not change is left out, not sent as null.
        Names(delta).Should().BeEquivalentTo("orderId", "trackingVersion", "snapshot", "position");
        Names(delta.GetProperty("position")).Should().BeEquivalentTo("latitude", "longitude", "fixTime");
        var snapshot = received.First(u => u.GetProperty("snapshot").GetBoolean());
        Names(snapshot).Should().Contain(["status", "riderId", "active", "deliveryAddress", "customerId", "warehouseId", "destination"])
            .And.NotContain("position", "no fix was reported before it");
    }

    [Fact]
    public async Task A_rider_sees_their_assignments_with_the_address_and_loses_one_reassigned_away()
    {
        var rider = RiderApp.NewRider();
        await using var app = await HubClient.ConnectAsync(host, caller: TestCaller.Rider(rider));
        await app.Connection.InvokeAsync("SubscribeAssignments", rider);
        var id = await DeliveringOrder(rider);

        var assigned = await app.WaitForVersion(id, 3);
        assigned.RiderId.Should().Be(rider);
        app.For(id).Should().Contain(u => u.Snapshot && u.DeliveryAddress!.StartsWith("上海市", StringComparison.Ordinal) && u.CustomerId == null);

        (await _client.PutAsJsonAsync($"/api/tracking/orders/{id}/rider", new { riderId = "rider-other" }))
            .EnsureSuccessStatusCode();

        await Eventually.Until(() => app.Removed.Contains(id));
    }

    [Fact]
    public async Task The_MessagePack_protocol_carries_the_same_updates()
    {
        var order = await _client.PlaceAsync();
        await using var mobile = await HubClient.ConnectAsync(host, messagePack: true);

        await mobile.SubscribeOrderAsync(order.Id());
        (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();

        var state = await mobile.WaitForVersion(order.Id(), 2);
        state.Status.Should().Be(2);
        mobile.Connection.State.Should().Be(HubConnectionState.Connected);
    }

    private Task<string> DeliveringOrder(string rider) => host.DeliveringOrderAsync(rider);

    private static IEnumerable<string> Names(JsonElement message) => message.EnumerateObject().Select(p => p.Name);
}
