using System.Net;
using System.Net.Http.Json;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Security;

/// <summary>What each caller may do with an order over its life, and which of its fields they see.</summary>
public class OrderAccessTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private static readonly TestCaller Warehouse = TestCaller.Warehouse("w-staff-1", OrderRequests.WarehouseId);

    [Fact]
    public async Task A_reassigned_rider_loses_the_order_at_once_on_the_hub_and_over_http()
    {
        var (oldRider, newRider) = (RiderApp.NewRider(), RiderApp.NewRider());
        var id = await DeliveringOrder(oldRider);
        var rider = host.ClientFor(TestCaller.Rider(oldRider));
        await using var app = await HubClient.ConnectAsync(host, caller: TestCaller.Rider(oldRider));
        await app.SubscribeOrderAsync(id);
        (await app.WaitForVersion(id, 3)).RiderId.Should().Be(oldRider);

        (await host.CreateClient().PutAsJsonAsync($"/api/tracking/orders/{id}/rider", new { riderId = newRider })).EnsureSuccessStatusCode();

        await Eventually.Until(() => app.Removed.Contains(id));
        app.For(id).Should().NotContain(u => u.RiderId == newRider, "the old rider does not see the change that took the order away");
        await host.ClientFor(TestCaller.Rider(newRider)).ReportAsync(newRider, RiderApp.NearWarehouse(40), DateTimeOffset.UtcNow);
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == id && d.Position is not null);
        app.For(id).Should().OnlyContain(u => u.TrackingVersion <= 3);
        await Eventually.Until(async () => (await rider.GetAsync($"/api/orders/{id}")).StatusCode == HttpStatusCode.NotFound);
        (await rider.PostAsJsonAsync($"/api/orders/{id}/delivered", new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var again = () => app.SubscribeOrderAsync(id);
        await again.Should().ThrowAsync<Microsoft.AspNetCore.SignalR.HubException>();
    }

    [Fact]
    public async Task A_rider_acts_on_an_order_only_until_it_is_delivered_and_their_positions_then_move_it_no_more()
    {
        var riderId = RiderApp.NewRider();
        var id = await DeliveringOrder(riderId);
        var rider = host.ClientFor(TestCaller.Rider(riderId));

        var delivered = await rider.PostAsJsonAsync($"/api/orders/{id}/delivered", new { });
        var live = await host.CreateClient().LiveWhen(id, l => l["status"]!.GetValue<int>() == 4);
        await rider.ReportAsync(riderId, RiderApp.NearWarehouse(500), DateTimeOffset.UtcNow);

        delivered.StatusCode.Should().Be(HttpStatusCode.OK);
        (await rider.GetAsync($"/api/orders/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await rider.GetAsync($"/api/orders/{id}/live")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await rider.PostAsJsonAsync($"/api/orders/{id}/delivered", new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await rider.GetAsync($"/api/tracking/riders/{riderId}/position")).StatusCode.Should().Be(HttpStatusCode.OK, "the fix itself is stored");
        var after = await (await host.CreateClient().GetAsync($"/api/orders/{id}/live")).ReadJsonAsync();
        after["trackingVersion"]!.GetValue<long>().Should().Be(live["trackingVersion"]!.GetValue<long>(), "a completed order takes no more positions");
    }

    [Fact]
    public async Task A_customer_places_orders_only_for_themselves_and_cannot_set_fields_of_others()
    {
        var customer = host.ClientFor(TestCaller.Customer("c-self"));

        var forSomeoneElse = await customer.PostAsJsonAsync("/api/orders", OrderRequests.NewOrder(customerId: "c-victim"));
        var withoutId = OrderRequests.NewOrder();
        withoutId.Remove("customerId");
        var own = await customer.PostAsJsonAsync("/api/orders", withoutId);
        var withStatus = OrderRequests.NewOrder(customerId: "c-self");
        withStatus["status"] = 4;
        var settingStatus = await customer.PostAsJsonAsync("/api/orders", withStatus);

        forSomeoneElse.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await forSomeoneElse.ReadJsonAsync())["detail"]!.GetValue<string>().Should().Contain("only as yourself");
        own.StatusCode.Should().Be(HttpStatusCode.Created);
        (await own.ReadJsonAsync())["customerId"]!.GetValue<string>().Should().Be("c-self");
        settingStatus.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await settingStatus.ReadJsonAsync())["errors"]!["status"]![0]!.GetValue<string>().Should().Be("This request has no such field.");
        (await host.CreateClient().GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/orders?customerId=c-victim"))!["items"]!
            .AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_rider_reports_positions_only_as_themselves()
    {
        var riderId = RiderApp.NewRider();
        var impostor = host.ClientFor(TestCaller.Rider("r-impostor"));

        var response = await impostor.PostAsJsonAsync("/api/tracking/positions", new
        {
            riderId,
            pointId = "p-1",
            fixTime = DateTimeOffset.UtcNow,
            latitude = 31.22,
            longitude = 121.54,
            accuracy = 8,
        });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await host.CreateClient().GetAsync($"/api/tracking/riders/{riderId}/position")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Each_role_sees_the_order_without_the_fields_that_are_not_theirs()
    {
        var riderId = RiderApp.NewRider();
        var id = await DeliveringOrder(riderId);
        await host.ClientFor(TestCaller.Rider(riderId)).ReportAsync(riderId, RiderApp.NearWarehouse(123.456, 78.9), DateTimeOffset.UtcNow);
        await host.CreateClient().LiveWhen(id, l => l["position"] is not null);

        var asCustomer = await host.ClientFor(OrderRequests.Customer).GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/orders/{id}");
        var asRider = await host.ClientFor(TestCaller.Rider(riderId)).GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/orders/{id}");
        var asWarehouse = await host.ClientFor(Warehouse).GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/orders/{id}");
        var asOps = await host.CreateClient().GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/orders/{id}");
        var liveForCustomer = await host.ClientFor(OrderRequests.Customer).GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/orders/{id}/live");
        var timelineForCustomer = await host.ClientFor(OrderRequests.Customer).GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/orders/{id}/timeline");

        asCustomer!["riderId"].Should().BeNull();
        asCustomer["pickingTask"].Should().BeNull();
        asCustomer["deliveryAddress"]!["recipientPhone"]!.GetValue<string>().Should().NotBeEmpty();
        asRider!["customerId"].Should().BeNull();
        asRider["deliveryAddress"]!["recipientPhone"]!.GetValue<string>().Should().NotBeEmpty("the rider calls the recipient at the door");
        asWarehouse!["deliveryAddress"]!["recipientPhone"].Should().BeNull();
        asWarehouse["riderId"]!.GetValue<string>().Should().Be(riderId);
        asOps!["riderId"]!.GetValue<string>().Should().Be(riderId);
        asOps["customerId"]!.GetValue<string>().Should().Be(OrderRequests.CustomerId);
        asOps["deliveryAddress"]!["recipientPhone"]!.GetValue<string>().Should().NotBeEmpty();
        liveForCustomer!["riderId"].Should().BeNull();
        liveForCustomer["position"]!["latitude"]!.GetValue<double>().Should().Be(Math.Round(RiderApp.NearWarehouse(123.456, 78.9).Latitude, 4));
        liveForCustomer["position"]!["speed"].Should().BeNull();
        timelineForCustomer!.Should().NotBeEmpty().And.OnlyContain(e => e!["operatorId"] == null && e["latitude"] == null);
    }

    private async Task<string> DeliveringOrder(string riderId)
    {
        var customer = host.ClientFor(OrderRequests.Customer);
        var order = await customer.PlaceAsync();
        (await customer.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        (await host.ClientFor(Warehouse).PickedAsync(order.Id(), riderId)).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == order.Id());
        await Eventually.Until(async () => (await host.ClientFor(TestCaller.Rider(riderId)).GetAsync($"/api/orders/{order.Id()}")).IsSuccessStatusCode);
        return order.Id();
    }
}
