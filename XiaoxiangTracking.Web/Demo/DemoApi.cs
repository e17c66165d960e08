using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace XiaoxiangTracking.Web.Demo;

/// <summary>Who a simulated app is: the claims of the token it asks for.</summary>
internal sealed record DemoCaller(string Role, string Subject, string? WarehouseId = null);

/// <summary>
/// The simulated apps' HTTP client: the public API with bearer tokens from the Development token endpoint, like any
/// other client. Nothing here reaches past the API.
/// </summary>
internal sealed class DemoApi(HttpClient http)
{
    private readonly ConcurrentDictionary<DemoCaller, Task<string>> _tokens = new();

    public Uri BaseAddress => http.BaseAddress!;

    public Task<string> TokenAsync(DemoCaller caller, CancellationToken cancellationToken) =>
        _tokens.GetOrAdd(caller, c => IssueAsync(c, cancellationToken));

    public async Task<JsonNode?> SendAsync(DemoCaller caller, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(caller, cancellationToken));
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{method} {path} as {caller.Role} {caller.Subject}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}",
                null,
                response.StatusCode);
        }

        return response.Content.Headers.ContentLength == 0 ? null : await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
    }

    private async Task<string> IssueAsync(DemoCaller caller, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/dev/tokens",
            new { role = caller.Role, subject = caller.Subject, warehouseId = caller.WarehouseId }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!["accessToken"]!.GetValue<string>();
    }
}
