using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XiaoxiangTracking.Tests.Support;

/// <summary>Requests as a client sends them (plain JSON), and the order JSON it gets back.</summary>
public static class OrderRequests
{
    public const string WarehouseId = "wh-pudong-01";

    public const string CustomerId = "c-10001";

    /// <summary>The customer of <see cref="NewOrder"/> by default.</summary>
    public static TestCaller Customer { get; } = TestCaller.Customer(CustomerId);

    public static JsonObject NewOrder(string customerId = CustomerId, decimal unitPrice = 6.50m, int quantity = 2) => new()
    {
        ["customerId"] = customerId,
        ["lines"] = new JsonArray(
            new JsonObject { ["sku"] = "VEG-00123", ["name"] = "有机菠菜 300g", ["quantity"] = quantity, ["unitPrice"] = unitPrice },
            new JsonObject { ["sku"] = "FRU-00042", ["name"] = "赣南脐橙 1kg", ["quantity"] = 1, ["unitPrice"] = 12.90m }),
        ["deliveryAddress"] = new JsonObject
        {
            ["text"] = "上海市浦东新区世纪大道100号 12楼",
            ["latitude"] = 31.2304,
            ["longitude"] = 121.4737,
            ["recipientName"] = "王女士",
            ["recipientPhone"] = "+86 138 0000 0000",
        },
        ["warehouse"] = new JsonObject { ["id"] = WarehouseId, ["latitude"] = 31.22, ["longitude"] = 121.54 },
    };

    public static async Task<JsonObject> PlaceAsync(this HttpClient client, JsonObject? order = null)
    {
        var response = await client.PostAsJsonAsync("/api/orders", order ?? NewOrder());
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    public static Task<HttpResponseMessage> PayAsync(this HttpClient client, string orderId, decimal amount, string reference = "wxpay-1") =>
        client.PostAsJsonAsync($"/api/orders/{orderId}/pay", new { paymentReference = reference, amount });

    public static Task<HttpResponseMessage> CancelAsync(this HttpClient client, string orderId, string reason = "不想要了") =>
        client.PostAsJsonAsync($"/api/orders/{orderId}/cancel", new { reason });

    public static Task<HttpResponseMessage> PickedAsync(this HttpClient client, string orderId, string riderId = "rider-0042", string warehouseId = WarehouseId) =>
        client.PostAsJsonAsync($"/api/orders/{orderId}/picked", new { warehouseId, riderId });

    /// <summary>The warehouse hands the order over without naming a rider: dispatch finds one.</summary>
    public static Task<HttpResponseMessage> HandOverForDispatchAsync(this HttpClient client, string orderId, string warehouseId = WarehouseId) =>
        client.PostAsJsonAsync($"/api/orders/{orderId}/picked", new { warehouseId });

    public static Task<HttpResponseMessage> DeliveredAsync(this HttpClient client, string orderId, string riderId = "rider-0042") =>
        client.PostAsJsonAsync($"/api/orders/{orderId}/delivered", new { riderId });

    /// <summary>
    /// Places and pays an order as ops and hands it to <paramref name="riderId"/>; returns once tracking has it as
    /// being delivered (version 3), so the rider's fixes move it.
    /// </summary>
    public static async Task<string> DeliveringOrderAsync(this TrackingHostFactory host, string riderId)
    {
        var client = host.CreateClient();
        var order = await client.PlaceAsync();
        (await client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        (await client.PickedAsync(order.Id(), riderId)).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<XiaoxiangTracking.Modules.Tracking.Contracts.OrderTrackingChanged>(d => d.OrderId == order.Id() && d.Version == 3);
        return order.Id();
    }

    /// <summary>The order's live state once it satisfies <paramref name="condition"/> (deltas reach the cache after commit).</summary>
    public static Task<JsonObject> LiveWhen(this HttpClient client, string orderId, Func<JsonObject, bool> condition) =>
        Eventually.Until(async () =>
        {
            var response = await client.GetAsync($"/api/orders/{orderId}/live");
            return response.IsSuccessStatusCode && await response.ReadJsonAsync() is { } live && condition(live) ? live : null;
        });

    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)
        ?? throw new JsonException("Expected a JSON object.");

    public static string Id(this JsonObject order) => order["id"]!.GetValue<string>();

    public static decimal Total(this JsonObject order) => order["totalAmount"]!.GetValue<decimal>();
}
