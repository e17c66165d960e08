using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XiaoxiangTracking.Testing;

/// <summary>Requests as the apps send them to a host started by <see cref="HostProcess"/>, and the client to send them with.</summary>
public static class HostRequests
{
    public const string WarehouseId = "wh-pudong-01";

    /// <summary>A two-item order for <paramref name="customerId"/> from the demo warehouse, as the customer app sends it.</summary>
    public static JsonObject NewOrder(string customerId) => new()
    {
        ["customerId"] = customerId,
        ["lines"] = new JsonArray(new JsonObject { ["sku"] = "VEG-00123", ["name"] = "有机菠菜 300g", ["quantity"] = 2, ["unitPrice"] = 6.50m }),
        ["deliveryAddress"] = new JsonObject
        {
            ["text"] = "上海市浦东新区世纪大道100号",
            ["latitude"] = 31.2304,
            ["longitude"] = 121.4737,
            ["recipientName"] = "王女士",
            ["recipientPhone"] = "+86 138 0000 0000",
        },
        ["warehouse"] = new JsonObject { ["id"] = WarehouseId, ["latitude"] = 31.22, ["longitude"] = 121.54 },
    };

    /// <summary>
    /// Posts <paramref name="body"/> as JSON the way the apps do: serialized first and sent with its Content-Length.
    /// (<c>PostAsJsonAsync</c> streams the body in chunks, which makes the server run a chunk decoder no app makes it run.)
    /// </summary>
    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string path, T body, CancellationToken cancellationToken = default)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return client.PostAsync(path, content, cancellationToken);
    }

    /// <summary>A handler for many concurrent requests to one host, its connections kept.</summary>
    public static HttpMessageHandler Handler() => new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1024,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    };
}
