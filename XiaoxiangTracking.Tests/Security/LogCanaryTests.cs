using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Connections;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Security;

/// <summary>Access tokens never reach the logs, at any level, whichever way they travel.</summary>
public class LogCanaryTests
{
    [Fact]
    public async Task Tokens_in_headers_and_on_hub_urls_never_appear_in_any_log_message()
    {
        using var host = new TrackingHostFactory().CaptureLogs();
        var canary = TestCaller.Ops("ops-canary");
        var validToken = host.TokenFor(canary);
        var forgedToken = host.Tokens.For(canary, signingKey: new byte[32]);
        const string garbage = "canary-not-a-jwt-7f3a9c";

        using var client = host.CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", validToken);
        (await client.GetAsync("/api/tracking/alerts")).EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forgedToken);
        await client.GetAsync("/api/tracking/alerts");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", garbage);
        await client.GetAsync("/api/tracking/alerts");
        client.DefaultRequestHeaders.Authorization = null;
        await client.PostAsync($"/hubs/tracking/negotiate?negotiateVersion=1&access_token={garbage}", null);
        foreach (var transport in new[] { HttpTransportType.WebSockets, HttpTransportType.LongPolling })
        {
            await using var hub = await HubClient.ConnectAsync(host, transport, caller: canary);
            await hub.SubscribeOrderAsync((await host.CreateClient().PlaceAsync()).Id());
        }

        var logs = host.Logs!.Messages;
        logs.Count(m => m.Contains("/hubs/tracking", StringComparison.Ordinal)).Should().BePositive("requests are logged at this level");
        string[] secrets = [validToken, forgedToken, garbage, Signature(validToken), Signature(forgedToken)];
        logs.Where(m => secrets.Any(secret => m.Contains(secret, StringComparison.Ordinal))).Should().BeEmpty();
    }

    private static string Signature(string token) => token[(token.LastIndexOf('.') + 1)..];
}
