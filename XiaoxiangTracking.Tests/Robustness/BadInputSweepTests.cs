using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using XiaoxiangTracking.Modules.Notifications.Persistence;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Robustness;

/// <summary>
/// Every API endpoint, fed malformed input of every kind a careless or hostile client sends: each answer is a 4xx
/// problem+json — never a 500 — and nothing reaches the database.
/// </summary>
public class BadInputSweepTests(ITestOutputHelper output)
{
    private static readonly string[] Bodies =
    [
        "",
        "{",
        "null",
        "[]",
        "123",
        "\"text\"",
        "{}",
        """{"riderId": 123, "orderId": [], "warehouseId": {}, "stage": 7, "url": false, "eventTypes": "order.paid", "operatorId": null}""",
        """{"riderId": "r-1", "pointId": "p", "fixTime": "yesterday", "latitude": "NaN", "longitude": 1e400, "accuracy": -1}""",
        """{"riderId": "r-1", "positions": [{"pointId": null, "fixTime": "2026-13-45T99:99:99Z", "latitude": 91, "longitude": 181}]}""",
        """{"customerId": "c", "lines": [{"sku": "", "name": "x", "quantity": 99999999999, "unitPrice": -5}], "deliveryAddress": {"text": "", "latitude": 0, "longitude": 0}, "warehouse": {"id": "w", "latitude": 1e308, "longitude": -1e308}}""",
        """{"paymentReference": "p", "amount": "lots"}""",
        """{"stage": "Eaten", "orderId": "x", "warehouseId": "w"}""",
        """{"riderId": "骑手\u0000\uFFFF", "operatorId": "ops\n\t", "reason": "\uD800"}""",
        "{\"a\":" + string.Concat(Enumerable.Repeat("[", 5_000)) + string.Concat(Enumerable.Repeat("]", 5_000)) + "}",
        "{\"riderId\": \"" + new string('x', 2_000_000) + "\"}",
        "{\"riderId\": \"r-1\", \"positions\": [" + string.Join(",", Enumerable.Repeat("""{"pointId": "p", "fixTime": "2026-11-25T00:00:00Z", "latitude": 1, "longitude": 1}""", 20_000)) + "]}",
    ];

    private static readonly string[] Ids = ["x", "00000000000000000000000000000000", new string('9', 5_000), "%E9%AA%91%E6%89%8B", "..%2F..%2Fetc"];

    private static readonly string[] Queries = ["", "?tolerance=abc&limit=-1&page=0&pageSize=999999999999&unresolved=maybe", "?tolerance=NaN&limit=1e9&customerId="];

    [Fact]
    public async Task Malformed_requests_to_every_endpoint_are_4xx_problems_and_store_nothing()
    {
        using var host = new TrackingHostFactory();
        var client = host.CreateClient();
        var before = await RowCounts(host);
        var endpoints = ApiRoutes(host);
        var failures = new List<string>();
        var observed = new List<(string Method, string Route, int Status)>();
        var requests = 0;

        // A GET without route parameters is well-formed without a query (listing is legal); its query validation has tests of its own.
        foreach (var (method, route) in endpoints.Where(e => e.Route.Contains('{', StringComparison.Ordinal) || e.Method is not ("GET" or "DELETE")))
        {
            foreach (var id in Ids)
            {
                var path = System.Text.RegularExpressions.Regex.Replace(route, "{[^}]+}", id);
                foreach (var query in Queries)
                {
                    foreach (var body in method is "GET" or "DELETE" ? [""] : Bodies)
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(method), path + query);
                        if (method is not ("GET" or "DELETE"))
                        {
                            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                        }

                        using var response = await client.SendAsync(request);
                        requests++;
                        var status = (int)response.StatusCode;
                        observed.Add((method, route, status));
                        var type = response.Content.Headers.ContentType?.MediaType;
                        if (status is < 400 or >= 500 || type != "application/problem+json")
                        {
                            failures.Add($"{method} {Short(path + query)} body {Short(body)} → {status} {type}");
                        }
                    }
                }
            }
        }

        output.WriteLine($"{requests} malformed requests to {endpoints.Count} endpoints.");
        failures.Should().BeEmpty();
        (await RowCounts(host)).Should().Equal(before, "nothing malformed is stored");
        var undocumented = (await OpenApiDocument.ReadAsync(client)).Undocumented(observed);
        undocumented.Should().BeEmpty("Swagger lists every status a route answers: " + string.Join(", ", undocumented));
    }

    private static string Short(string text) => text.Length <= 80 ? text : text[..80] + $"…({text.Length})";

    /// <summary>Every method and route of the API (<c>/api/…</c>) the host maps.</summary>
    internal static List<(string Method, string Route)> ApiRoutes(TrackingHostFactory host) =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Route: e.RoutePattern.RawText!)))
            .ToList();

    internal static async Task<int[]> RowCounts(TrackingHostFactory host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var orders = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var tracking = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        var notifications = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return
        [
            await orders.Orders.CountAsync(),
            await tracking.RiderPositions.CountAsync(),
            await tracking.OrderTracking.CountAsync(),
            await tracking.LiveOrders.CountAsync(),
            await tracking.Alerts.CountAsync(),
            await notifications.WebhookSubscriptions.CountAsync(),
        ];
    }
}
