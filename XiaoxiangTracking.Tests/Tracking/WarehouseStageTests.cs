using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Tracking;

public class WarehouseStageTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Stages_appear_on_the_timeline_and_the_hand_over_starts_delivery_with_the_rider()
    {
        var orderId = await PaidOrder();

        foreach (var stage in new[] { "Received", "Picking", "Packed" })
        {
            (await Report(orderId, stage)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var handedOver = await Report(orderId, "HandedOver", "rider-77");

        handedOver.StatusCode.Should().Be(HttpStatusCode.OK);
        var picked = await host.Notifications.WaitFor<OrderPicked>(n => n.OrderId == orderId);
        picked.RiderId.Should().Be("rider-77");
        var order = await (await _client.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync();
        order["status"]!.GetValue<int>().Should().Be(3);
        order["pickingTask"]!["status"]!.GetValue<string>().Should().Be("Completed");
        var timeline = await TimelineWith(orderId, 8);
        timeline.Select(e => e!["event"]!.GetValue<string>()).Should().Equal(
            "OrderPlaced", "OrderPaid", "WarehouseReceived", "WarehousePicking", "WarehousePacked", "WarehouseHandedOver", "OrderPicked",
            "RiderAssigned");
        timeline.Where(e => e!["event"]!.GetValue<string>().StartsWith("Warehouse", StringComparison.Ordinal))
            .Should().OnlyContain(e => e!["operatorType"]!.GetValue<int>() == 2 && e["operatorId"]!.GetValue<string>() == OrderRequests.WarehouseId);
        timeline[^1]!["operatorId"]!.GetValue<string>().Should().Be("rider-77");
    }

    [Fact]
    public async Task A_stage_reported_twice_is_recorded_once()
    {
        var orderId = await PaidOrder();

        var first = await (await Report(orderId, "Picking")).ReadJsonAsync();
        var again = await (await Report(orderId, "Picking")).ReadJsonAsync();

        again.ToJsonString().Should().Be(first.ToJsonString());
        (await TimelineWith(orderId, 3)).Count(e => e!["event"]!.GetValue<string>() == "WarehousePicking").Should().Be(1);
    }

    [Fact]
    public async Task Stages_are_refused_for_an_unpaid_order_another_warehouse_or_an_unknown_order()
    {
        var unpaid = await _client.PlaceAsync();
        await _client.LiveWhen(unpaid.Id(), _ => true);
        var paid = await PaidOrder();

        var notYet = await Report(unpaid.Id(), "Received");
        var otherWarehouse = await Report(paid, "Received", warehouseId: "wh-other");
        var unknown = await Report("00000000000000000000000000000000", "Received");

        notYet.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await notYet.ReadJsonAsync())["code"]!.GetValue<string>().Should().Be("not_at_warehouse");
        otherWarehouse.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await otherWarehouse.ReadJsonAsync())["code"]!.GetValue<string>().Should().Be("wrong_warehouse");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_stage_is_taken_once_the_order_shows_paid_though_its_payment_has_not_reached_the_timeline_yet()
    {
        var orderId = await PaidOrder();
        // The payment reaches the live state (what the warehouse's screen shows) and the timeline through two handlers
        // that commit apart; here the timeline's is the one still to come.
        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var lagging = connection.CreateCommand();
            lagging.CommandText = "DELETE FROM tracking_order_tracking WHERE order_id = $id AND event_type = 'OrderPaid'";
            lagging.Parameters.AddWithValue("$id", orderId);
            (await lagging.ExecuteNonQueryAsync()).Should().Be(1);
        }

        (await Report(orderId, "Received")).StatusCode.Should().Be(HttpStatusCode.OK, "the staff act on what their screen shows");
    }

    [Fact]
    public async Task An_unknown_stage_or_a_hand_over_without_rider_is_400()
    {
        var orderId = await PaidOrder();

        var badStage = await Report(orderId, "Shipped");
        var noRider = await Report(orderId, "HandedOver");
        var riderTooEarly = await Report(orderId, "Packed", "rider-1");

        (await badStage.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("stage");
        (await noRider.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("riderId");
        (await riderTooEarly.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("riderId");
    }

    private async Task<string> PaidOrder()
    {
        var order = await _client.PlaceAsync();
        (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        await TimelineWith(order.Id(), 2);
        await _client.LiveWhen(order.Id(), live => live["status"]!.GetValue<int>() == 2); // as the warehouse's screen shows it
        return order.Id();
    }

    private Task<HttpResponseMessage> Report(string orderId, string stage, string? riderId = null, string warehouseId = OrderRequests.WarehouseId) =>
        _client.PostAsJsonAsync("/api/tracking/warehouse-stages", new { orderId, warehouseId, stage, riderId });

    /// <summary>Order changes reach the timeline through the outbox after commit: read until they have (bounded).</summary>
    private Task<JsonArray> TimelineWith(string orderId, int count) =>
        Eventually.Until(async () =>
        {
            var response = await _client.GetAsync($"/api/orders/{orderId}/timeline");
            return response.IsSuccessStatusCode && JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray() is { } timeline
                && timeline.Count >= count
                ? timeline
                : null;
        });
}
