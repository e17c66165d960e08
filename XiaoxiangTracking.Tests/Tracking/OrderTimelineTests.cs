using System.Net;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Tracking;

public class OrderTimelineTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task The_timeline_records_every_status_change_in_order_with_who_and_where()
    {
        var order = await _client.PlaceAsync();
        var id = order.Id();
        (await _client.PayAsync(id, order.Total())).EnsureSuccessStatusCode();
        (await _client.PickedAsync(id, "rider-9")).EnsureSuccessStatusCode();
        (await _client.DeliveredAsync(id, "rider-9")).EnsureSuccessStatusCode();

        var timeline = await TimelineWithCount(id, 5);

        timeline.Select(e => (e!["event"]!.GetValue<string>(), e["status"]!.GetValue<int>(), e["orderVersion"]?.GetValue<long>()))
            .Should().Equal(("OrderPlaced", 1, 1L), ("OrderPaid", 2, 2L), ("OrderPicked", 3, 3L), ("RiderAssigned", 3, null), ("OrderDelivered", 4, 4L));
        var picked = timeline[2]!;
        picked["operatorId"]!.GetValue<string>().Should().Be(OrderRequests.WarehouseId);
        picked["operatorType"]!.GetValue<int>().Should().Be(2);
        picked["latitude"]!.GetValue<double>().Should().Be(31.22);
        var assigned = timeline[3]!;
        assigned["operatorId"]!.GetValue<string>().Should().Be("rider-9");
        assigned["operatorType"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task A_redelivered_order_notification_is_recorded_once()
    {
        var order = await _client.PlaceAsync();
        var placed = await host.Notifications.WaitFor<OrderPlaced>(n => n.OrderId == order.Id());
        await TimelineWithCount(order.Id(), 1);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(placed);
        }

        (await Timeline(order.Id())).Should().ContainSingle();
    }

    [Fact]
    public async Task The_timeline_of_an_unknown_order_is_404()
    {
        var response = await _client.GetAsync("/api/orders/00000000000000000000000000000000/timeline");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    private async Task<JsonArray> Timeline(string orderId)
    {
        var response = await _client.GetAsync($"/api/orders/{orderId}/timeline");
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray() : [];
    }

    /// <summary>The outbox publishes after commit, on its own thread: wait (bounded) for the entries to arrive.</summary>
    private Task<JsonArray> TimelineWithCount(string orderId, int count) =>
        Eventually.Until(async () => await Timeline(orderId) is { } timeline && timeline.Count >= count ? timeline : null);
}
