using System.Text.Json.Nodes;

namespace XiaoxiangTracking.Tests.Support;

/// <summary>The host's OpenAPI document, to hold what a route really answers against what it says it answers.</summary>
public sealed class OpenApiDocument(JsonNode document)
{
    public static async Task<OpenApiDocument> ReadAsync(HttpClient client) =>
        new(JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!);

    public JsonNode Root { get; } = document;

    /// <summary>The statuses the document lists for a route (as the host maps it, <c>/api/orders/{id}</c>); null when it has no such operation.</summary>
    public IReadOnlySet<int>? Statuses(string method, string route) =>
        Root["paths"]?[route.Length > 1 ? route.TrimEnd('/') : route]?[method.ToLowerInvariant()]?["responses"] is JsonObject responses
            ? responses.Select(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet()
            : null;

    /// <summary>Each observed answer the document does not list for its route, as "METHOD route status".</summary>
    public IEnumerable<string> Undocumented(IEnumerable<(string Method, string Route, int Status)> observed) =>
        observed.Distinct()
            .Where(o => Statuses(o.Method, o.Route) is not { } listed || !listed.Contains(o.Status))
            .Select(o => $"{o.Method} {o.Route} {o.Status}")
            .ToList();

    /// <summary>
    /// Where <paramref name="value"/> departs from <paramref name="schema"/> (OpenAPI 3.0): a field the schema does not
    /// have, a required one missing, a value of another type or outside its enum. A <c>$ref</c> may be null (3.0
    /// cannot mark a reference nullable). With <paramref name="everyField"/> (a response, which writes every field, null
    /// or not) each field of the schema must be present.
    /// </summary>
    public IEnumerable<string> Departures(JsonNode schema, JsonNode? value, string path, bool everyField = false)
    {
        var isReference = schema["$ref"] is not null;
        schema = Resolve(schema);
        if (value is null)
        {
            if (!isReference && schema["nullable"]?.GetValue<bool>() != true)
            {
                yield return $"{path}: null where the schema allows none";
            }

            yield break;
        }

        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        var matches = type switch
        {
            "object" => kind == System.Text.Json.JsonValueKind.Object,
            "array" => kind == System.Text.Json.JsonValueKind.Array,
            "string" => kind == System.Text.Json.JsonValueKind.String,
            "boolean" => kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
            "integer" => kind == System.Text.Json.JsonValueKind.Number && value.GetValue<decimal>() % 1 == 0,
            "number" => kind == System.Text.Json.JsonValueKind.Number,
            _ => true,
        };
        if (!matches)
        {
            yield return $"{path}: {kind} where the schema says {type}";
            yield break;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            yield return $"{path}: {value.ToJsonString()} is not one of {allowed.ToJsonString()}";
        }

        if (value is JsonArray items && schema["items"] is { } itemSchema)
        {
            for (var i = 0; i < items.Count; i++)
            {
                foreach (var departure in Departures(itemSchema, items[i], $"{path}[{i}]", everyField))
                {
                    yield return departure;
                }
            }
        }

        if (value is JsonObject fields && schema["properties"] is JsonObject properties)
        {
            var present = everyField ? properties.Select(p => p.Key) : schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [];
            foreach (var required in present)
            {
                if (!fields.ContainsKey(required))
                {
                    yield return $"{path}.{required}: missing";
                }
            }

            foreach (var (name, field) in fields)
            {
                if (properties[name] is not { } fieldSchema)
                {
                    yield return $"{path}.{name}: no such field";
                    continue;
                }

                foreach (var departure in Departures(fieldSchema, field, $"{path}.{name}", everyField))
                {
                    yield return departure;
                }
            }
        }
    }

    private JsonNode Resolve(JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? Resolve(Root["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!)
            : schema;
}
