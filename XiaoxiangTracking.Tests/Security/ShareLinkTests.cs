using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;
using Xunit.Abstractions;

namespace XiaoxiangTracking.Tests.Security;

/// <summary>Share links: a read-only link to one order's tracking, for whoever the customer hands it to.</summary>
public sealed class ShareLinkTests(ITestOutputHelper output) : IDisposable
{
    private readonly TrackingHostFactory _host = new TrackingHostFactory().WithClock().CaptureLogs();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Probe()
    {
        var customer = _host.ClientFor(OrderRequests.Customer);
        var order = await customer.PlaceAsync();
        var created = await customer.PostAsync($"/api/orders/{order.Id()}/share-links", null);
        output.WriteLine(await created.Content.ReadAsStringAsync());
        var token = (await created.ReadJsonAsync())["url"]!.GetValue<string>()[3..];
        var shared = _host.CreateDefaultClient();
        shared.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await shared.GetAsync("/api/share");
        output.WriteLine(await response.Content.ReadAsStringAsync());
        foreach (var m in _host.Logs!.Messages.Where(m => m.StartsWith("Error", StringComparison.Ordinal)))
        {
            output.WriteLine(m[..Math.Min(m.Length, 3000)]);
        }
    }
}
