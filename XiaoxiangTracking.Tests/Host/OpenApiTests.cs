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
}
