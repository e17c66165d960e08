using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Notifications;

public class HeartbeatTests
{
    [Fact]
    public async Task A_client_that_lost_the_last_change_converges_at_the_next_version_heartbeat()
    {
        using var host = new TrackingHostFactory().WithClock().With("Notifications:VersionCheckInterval", "00:00:30");
        var client = host.CreateClient();
        var order = await client.PlaceAsync();
        var id = order.Id();
        await using var customer = await HubClient.ConnectAsync(host);
        await customer.SubscribeOrderAsync(id);
        await customer.WaitForVersion(id, 1);
        customer.Lose = u => u.OrderId == id && u.TrackingVersion == 2;

        (await client.PayAsync(id, order.Total())).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<Modules.Tracking.Contracts.OrderTrackingChanged>(d => d.OrderId == id && d.Version == 2);
        await Eventually.Until(() => customer.Lose is null);
        customer.State(id)!.Version.Should().Be(1, "the only change was lost and nothing newer came");

        host.Clock!.Advance(TimeSpan.FromSeconds(30));

        var state = await customer.WaitForVersion(id, 2);
        state.Status.Should().Be(2);
        customer.Resyncs.Should().Be(1);
    }
}
