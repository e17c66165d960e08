using System.Text.Json.Nodes;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Host;

/// <summary>
/// The OpenAPI document lists what stands in front of every route: 401 and 403 where a token is needed (and a lock),
/// no lock where none is, 429 everywhere, as problem+json. (What routes really answer is held against the document by
/// the request sweeps in <c>Robustness/</c>.)
/// </summary>
public class OpenApiTests
{
    [Fact]
    public async Task Every_operation_lists_the_errors_its_pipeline_can_answer_and_anonymous_ones_show_no_lock()
    {
        using var host = new TrackingHostFactory().InEnvironment("Development");
        var document = await OpenApiDocument.ReadAsync(host.CreateClient());
        var problems = new List<string>();
        var operations = 0;

        foreach (var (route, pathItem) in document.Root["paths"]!.AsObject())
        {
            foreach (var (method, operation) in pathItem!.AsObject())
            {
                operations++;
                var anonymous = operation!["security"] is JsonArray { Count: 0 };
                var expected = anonymous ? new[] { "429" } : ["401", "403", "429"];
                foreach (var status in expected)
                {
                    if (operation["responses"]?[status]?["content"]?["application/problem+json"] is null)
                    {
                        problems.Add($"{method.ToUpperInvariant()} {route}: no {status} problem+json");
                    }
                }

                if (anonymous != (route == "/api/dev/tokens"))
                {
                    problems.Add($"{method.ToUpperInvariant()} {route}: {(anonymous ? "shows no lock but needs a token" : "shows a lock but is anonymous")}");
                }
            }
        }

        operations.Should().BeGreaterThan(25);
        problems.Should().BeEmpty();
        document.Statuses("POST", "/api/tracking/positions").Should().BeEquivalentTo([200, 400, 401, 403, 422, 429, 503]);
    }

    /// <summary>The routes rider and warehouse apps and integrators call.</summary>
    public static readonly TheoryData<string> AppAndIntegratorOperations =
    [
        "PlaceOrder", "PayOrder", "CancelOrder", "GetOrder", "ListOrders", "MarkOrderPicked", "MarkOrderDelivered",
        "GetLiveOrder", "GetOrderTimeline", "AssignRider", "ReportPosition", "ReportPositionBatch", "ReportWarehouseStage",
        "RegisterWebhook",
    ];

    [Theory]
    [MemberData(nameof(AppAndIntegratorOperations))]
    public async Task App_and_integrator_routes_show_a_whole_request_and_response_example_that_fits_their_schema(string operationId)
    {
        using var host = new TrackingHostFactory();
        var document = await OpenApiDocument.ReadAsync(host.CreateClient());
        var operation = document.Root["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(method => method.Value!))
            .Single(o => o["operationId"]?.GetValue<string>() == operationId);
        var departures = new List<string>();

        if (operation["requestBody"]?["content"]?["application/json"] is { } request)
        {
            request["example"].Should().NotBeNull($"{operationId} shows a request example");
            departures.AddRange(document.Departures(request["schema"]!, request["example"], "request"));
        }

        var success = operation["responses"]!.AsObject().Single(r => r.Key.StartsWith('2')).Value!["content"]!["application/json"]!;
        success["example"].Should().NotBeNull($"{operationId} shows a response example");
        departures.AddRange(document.Departures(success["schema"]!, success["example"], "response", everyField: true));

        departures.Should().BeEmpty();
    }
}
