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
}
