using System.Net;
using System.Text.Json.Nodes;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Tracking;

/// <summary>The ops map's riders: everyone seen recently, where they are and what they carry.</summary>
public class RiderListTests
{
    [Fact]
    public async Task Ops_see_recently_seen_riders_newest_first_with_the_order_each_delivers()
    {
        using var host = new TrackingHostFactory();
        var ops = host.CreateClient();
        var now = DateTimeOffset.UtcNow;
        await ops.ReportAsync("rider-free", RiderApp.NearWarehouse(300), now.AddSeconds(-30));
        await ops.ReportAsync("rider-carrying", RiderApp.NearWarehouse(100), now);
        await ops.ReportAsync("rider-gone", RiderApp.NearWarehouse(200), now.AddMinutes(-20));
        var orderId = await DispatchTests.PaidOrder(ops, host);
        (await ops.PickedAsync(orderId, "rider-carrying")).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == orderId);

        var riders = await Eventually.Until(async () =>
            await ops.GetAsync("/api/tracking/riders?seenWithin=00:10:00") is { StatusCode: HttpStatusCode.OK } response
            && JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray() is var list && list.Count == 2
            && list[0]!["orderId"] is not null ? list : null);

        riders.Select(r => r!["riderId"]!.GetValue<string>()).Should().Equal("rider-carrying", "rider-free");
        riders[0]!["orderId"]!.GetValue<string>().Should().Be(orderId);
        riders[0]!["latitude"]!.GetValue<double>().Should().BeApproximately(RiderApp.NearWarehouse(100).Latitude, 1e-9);
        riders[1]!["orderId"].Should().BeNull();
    }

    [Fact]
    public async Task Only_ops_list_riders_and_a_window_out_of_range_is_a_field_error()
    {
        using var host = new TrackingHostFactory();

        (await host.ClientFor(TestCaller.Rider("rider-0042")).GetAsync("/api/tracking/riders")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await host.ClientFor(OrderRequests.Customer).GetAsync("/api/tracking/riders")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var bad = await host.CreateClient().GetAsync("/api/tracking/riders?seenWithin=3.00:00:00");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().ContainSingle().Which.Should().Be("seenWithin");
    }
}
