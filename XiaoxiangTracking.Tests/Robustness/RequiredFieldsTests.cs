using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Robustness;

/// <summary>
/// Required means required, generated from the OpenAPI document: for every request body of every operation, every
/// field the document calls required — nested ones and those inside arrays included — left out, sent as null, or sent
/// as the wrong JSON type is a 400 whose only error is keyed by that field as the client named it, and nothing is
/// stored. A new operation or required field is covered as soon as the document has it.
/// </summary>
public class RequiredFieldsTests(ITestOutputHelper output)
{
    /// <summary>A well-formed body of each operation that takes one (by operation id); every other field is left to the document.</summary>
    private static readonly Dictionary<string, string> Bodies = new()
    {
        ["IssueDevelopmentToken"] = """{"role": "customer", "subject": "c-1"}""",
        ["PlaceOrder"] = """
            {"customerId": "c-1", "lines": [{"sku": "VEG-1", "name": "菠菜", "quantity": 2, "unitPrice": 6.5}],
             "deliveryAddress": {"text": "上海市浦东新区世纪大道100号", "latitude": 31.23, "longitude": 121.47, "recipientName": "王", "recipientPhone": "+86 138 0000 0000"},
             "warehouse": {"id": "wh-1", "latitude": 31.22, "longitude": 121.54}}
            """,
        ["PayOrder"] = """{"paymentReference": "p-1", "amount": 13.0}""",
        ["CancelOrder"] = """{"reason": "不想要了"}""",
        ["MarkOrderPicked"] = """{"warehouseId": "wh-1"}""",
        ["MarkOrderDelivered"] = """{"riderId": "r-1"}""",
        ["DenyNetwork"] = """{"cidr": "203.0.113.0/24", "reason": "scraping"}""",
        ["ReportPosition"] = """{"riderId": "r-1", "pointId": "p-1", "fixTime": "2026-11-25T10:15:30+08:00", "latitude": 31.23, "longitude": 121.47, "accuracy": 5}""",
        ["ReportPositionBatch"] = """{"riderId": "r-1", "positions": [{"pointId": "p-1", "fixTime": "2026-11-25T10:15:30+08:00", "latitude": 31.23, "longitude": 121.47}]}""",
        ["ReportWarehouseStage"] = """{"orderId": "o-1", "warehouseId": "wh-1", "stage": "Picking"}""",
        ["AssignRider"] = """{"riderId": "r-1"}""",
        ["RegisterWebhook"] = """{"url": "https://erp.example.com/hooks", "eventTypes": ["order.paid"]}""",
    };

    [Fact]
    public async Task Every_required_field_left_out_null_or_of_the_wrong_type_is_a_400_keyed_by_that_field_and_stores_nothing()
    {
        using var host = new TrackingHostFactory().InEnvironment("Development");
        var client = host.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!;
        var before = await BadInputSweepTests.RowCounts(host);
        var failures = new List<string>();
        var cases = 0;
        var operations = new List<string>();

        foreach (var (route, pathItem) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in pathItem!.AsObject())
            {
                if (operation!["requestBody"]?["content"]?["application/json"]?["schema"] is not { } schema)
                {
                    continue;
                }

                var id = operation["operationId"]!.GetValue<string>();
                operations.Add(id);
                Bodies.Should().ContainKey(id, $"a well-formed body of {id} is needed to test its required fields");
                var path = System.Text.RegularExpressions.Regex.Replace(route, "{[^}]+}", "o-unknown");
                foreach (var (field, type) in RequiredFields(schema, schemas, string.Empty))
                {
                    foreach (var (mutation, value) in new (string, JsonNode?)[] { ("left out", null), ("null", null), ("of the wrong type", WrongValue(type)) })
                    {
                        var body = JsonNode.Parse(Bodies[id])!;
                        Mutate(body, field, mutation == "left out", value);
                        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path)
                        {
                            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
                        };
                        using var response = await client.SendAsync(request);
                        cases++;
                        var text = await response.Content.ReadAsStringAsync();
                        var keys = response.StatusCode == HttpStatusCode.BadRequest && JsonNode.Parse(text)?["errors"] is JsonObject errors
                            ? errors.Select(e => e.Key).ToList()
                            : [];
                        if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                            || !keys.SequenceEqual([field]))
                        {
                            failures.Add($"{id}: '{field}' {mutation} → {(int)response.StatusCode} {text[..Math.Min(160, text.Length)]}");
                        }
                    }
                }
            }
        }

        output.WriteLine($"{cases} requests over the required fields of {operations.Count} operations.");
        operations.Should().BeEquivalentTo(Bodies.Keys, "every operation with a body is in the document, and no body here is stale");
        failures.Should().BeEmpty(string.Join('\n', failures));
        (await BadInputSweepTests.RowCounts(host)).Should().Equal(before, "nothing incomplete is stored");
    }

    [Fact]
    public async Task A_single_position_reports_its_errors_by_its_own_field_names_and_a_batch_by_the_fix()
    {
        using var host = new TrackingHostFactory();
        var client = host.CreateClient();
        var tooLong = new string('p', 65);

        var single = await client.PostAsync("/api/tracking/positions", Json(Bodies["ReportPosition"].Replace("\"p-1\"", $"\"{tooLong}\"", StringComparison.Ordinal)));
        var batch = await client.PostAsync("/api/tracking/positions/batch", Json(Bodies["ReportPositionBatch"].Replace("\"p-1\"", $"\"{tooLong}\"", StringComparison.Ordinal)));

        (await single.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("pointId");
        (await batch.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("positions[0].pointId");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Every required field of a schema as the client names it (<c>lines[0].quantity</c>), with its JSON type.</summary>
    private static IEnumerable<(string Field, string Type)> RequiredFields(JsonNode schema, JsonNode schemas, string prefix)
    {
        schema = Resolve(schema, schemas);
        var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            var resolved = Resolve(property!, schemas);
            var type = resolved["type"]?.GetValue<string>() ?? "object";
            var field = prefix + name;
            if (required.Contains(name))
            {
                yield return (field, type);
            }

            var nested = type == "array" ? resolved["items"] : type == "object" ? resolved : null;
            if (nested is not null)
            {
                foreach (var inner in RequiredFields(nested, schemas, type == "array" ? $"{field}[0]." : $"{field}."))
                {
                    yield return inner;
                }
            }
        }
    }

    private static JsonNode Resolve(JsonNode schema, JsonNode schemas) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? schemas[reference["#/components/schemas/".Length..]]!
            : schema["allOf"]?[0] is { } only ? Resolve(only, schemas) : schema;

    private static JsonNode WrongValue(string type) => type switch
    {
        "string" => JsonValue.Create(123),
        "number" or "integer" => JsonValue.Create("abc"),
        "array" => new JsonObject(),
        _ => new JsonArray(),
    };

    /// <summary>Removes the field at <paramref name="field"/> or sets it to <paramref name="value"/>.</summary>
    private static void Mutate(JsonNode body, string field, bool remove, JsonNode? value)
    {
        var segments = field.Split('.');
        var parent = body;
        foreach (var segment in segments[..^1])
        {
            parent = segment.EndsWith("[0]", StringComparison.Ordinal) ? parent[segment[..^3]]![0]! : parent[segment]!;
        }

        var last = segments[^1];
        if (remove)
        {
            parent.AsObject().Remove(last).Should().BeTrue($"the well-formed body has '{field}'");
        }
        else
        {
            parent.AsObject().ContainsKey(last).Should().BeTrue($"the well-formed body has '{field}'");
            parent[last] = value;
        }
    }
}
