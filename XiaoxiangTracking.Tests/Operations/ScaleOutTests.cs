using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using XiaoxiangTracking.Modules.Notifications.Hub;
using XiaoxiangTracking.Modules.Tracking.Features.Alerts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Operations;

/// <summary>
/// Two instances of the host on one database and one real Redis (<c>ConnectionStrings:Redis</c>): what is reported to
/// one reaches the clients of the other, both serve the same live state, and their jobs raise each alert once.
/// </summary>
public class ScaleOutTests
{
    [Fact]
    public async Task A_client_on_one_instance_follows_an_order_moved_and_delivered_through_the_other()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new TestFolder();
        var (a, b) = Instances(folder, redis);
        using var _ = a;
        using var __ = b;
        var opsA = a.CreateClient();
        var opsB = b.CreateClient();
        var rider = RiderApp.NewRider();
        var orderId = await DeliveringOrderAsync(a, b, rider);

        await using var watcherOnA = await HubClient.ConnectAsync(a);
        await watcherOnA.SubscribeOrderAsync(orderId);
        await watcherOnA.WaitForVersion(orderId, 3);

        var at = RiderApp.AlongRoute(0.4);
        await b.ClientFor(TestCaller.Rider(rider)).ReportAsync(rider, at, DateTimeOffset.UtcNow);
        var moved = await watcherOnA.WaitForVersion(orderId, 4);
        moved.Position!.Latitude.Should().BeApproximately(at.Latitude, 1e-9, "A's client got the fix B committed");

        // Both instances serve the same state — A's cache followed B's changes — and so does A's client.
        var live = await Agreed(opsA, opsB, orderId, live => live["trackingVersion"]!.GetValue<long>() >= 4);
        (await watcherOnA.WaitForVersion(orderId, live["trackingVersion"]!.GetValue<long>())).Position!.Latitude.Should().BeApproximately(at.Latitude, 1e-9);
        await using (var direct = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            (await direct.GetDatabase().KeyExistsAsync($"xiaoxiang:tracking:live:{orderId}")).Should()
                .BeTrue("the second level keeps an order's state under its id, beneath the host's prefix");
        }

        (await opsB.DeliveredAsync(orderId, rider)).EnsureSuccessStatusCode();
        var ended = await Agreed(opsA, opsB, orderId, live => live["active"]!.GetValue<bool>() == false);
        var final = await watcherOnA.WaitForVersion(orderId, ended["trackingVersion"]!.GetValue<long>());
        final.Should().BeEquivalentTo(new { Active = (bool?)false, Status = (int?)4, Version = ended["trackingVersion"]!.GetValue<long>() },
            "the client ends where the database does");
        watcherOnA.Resyncs.Should().Be(0, "every change arrived, in order, without a gap to heal");
    }

    [Fact]
    public async Task An_ops_view_on_one_instance_gets_orders_placed_on_the_other_in_its_warehouse()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new TestFolder();
        var (a, b) = Instances(folder, redis);
        using var _ = a;
        using var __ = b;
        b.CreateClient();
        await using var warehouseOnB = await HubClient.ConnectAsync(b);
        await warehouseOnB.Connection.InvokeAsync("SubscribeFleet", OrderRequests.WarehouseId);

        var rider = RiderApp.NewRider();
        var orderId = await DeliveringOrderAsync(a, b, rider);
        var state = await warehouseOnB.WaitForVersion(orderId, 3);
        state.RiderId.Should().Be(rider);
    }

    [Fact]
    public async Task The_alert_scan_running_on_both_instances_at_once_raises_each_alert_once()
    {
        await using var redis = await RedisServer.StartAsync();
        var start = DateTimeOffset.UtcNow;
        using var folder = new TestFolder();
        var (a, b) = Instances(folder, redis, start);
        using var _ = a;
        using var __ = b;
        var orders = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            orders.Add(await DeliveringOrderAsync(a, b, RiderApp.NewRider()));
        }

        // Long past every promise, on both instances' clocks.
        a.Clock!.Advance(TimeSpan.FromHours(3));
        b.Clock!.Advance(TimeSpan.FromHours(3));
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(ScanAsync(a), ScanAsync(b));
        }

        var ops = a.CreateClient();
        foreach (var orderId in orders)
        {
            var alerts = (await ops.GetFromJsonAsync<JsonArray>($"/api/tracking/alerts?orderId={orderId}&unresolved=false"))!;
            alerts.Select(alert => alert!["type"]!.GetValue<string>()).Should().ContainSingle(type => type == "Timeout");
            alerts.GroupBy(alert => alert!["type"]!.GetValue<string>()).Should().OnlyContain(type => type.Count() == 1);
        }
    }

    [Fact]
    public async Task The_cache_closing_its_redis_connection_leaves_the_backplane_and_the_relay_working()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new TestFolder();
        var (a, b) = Instances(folder, redis);
        using var _ = a;
        using var __ = b;
        var rider = RiderApp.NewRider();
        var orderId = await DeliveringOrderAsync(a, b, rider);
        await using var watcherOnA = await HubClient.ConnectAsync(a);
        await watcherOnA.SubscribeOrderAsync(orderId);
        await watcherOnA.WaitForVersion(orderId, 3);

        // The cache of A closes its connection, as it does when it is disposed (first, when the host stops) or when
        // it reconnects after Redis errors.
        var cache = a.Services.GetRequiredService<IDistributedCache>();
        await cache.SetStringAsync("scale-out-test", "opened");
        ((IDisposable)cache).Dispose();

        await a.Services.GetRequiredService<HubLifetimeManager<TrackingHub>>()
            .Invoking(backplane => backplane.SendAllAsync("Ping", [])).Should().NotThrowAsync("the backplane has its own connection");
        var at = RiderApp.AlongRoute(0.4);
        await b.ClientFor(TestCaller.Rider(rider)).ReportAsync(rider, at, DateTimeOffset.UtcNow);
        (await watcherOnA.WaitForVersion(orderId, 4)).Position!.Latitude.Should().BeApproximately(at.Latitude, 1e-9,
            "the relay to A has its own connection too");
        a.Invoking(host => host.Dispose()).Should().NotThrow("each Redis user closes only its own connection");
    }

    /// <summary>Two hosts on <paramref name="folder"/> and one Redis, trusting the same tokens; A has migrated before B starts.</summary>
    private static (TrackingHostFactory A, TrackingHostFactory B) Instances(string folder, RedisServer redis, DateTimeOffset? clock = null)
    {
        var tokens = new TestTokens(RandomNumberGenerator.GetBytes(32));
        TrackingHostFactory Instance()
        {
            var host = new TrackingHostFactory(folder, tokens).With("ConnectionStrings:Redis", redis.Configuration);
            return clock is { } start ? host.WithClock(start) : host;
        }

        var a = Instance();
        a.CreateClient();
        return (a, Instance());
    }

    /// <summary>
    /// An order placed, paid and handed to <paramref name="rider"/> through A, once both instances serve it as being
    /// delivered (either instance's outbox dispatcher may publish its changes).
    /// </summary>
    private static async Task<string> DeliveringOrderAsync(TrackingHostFactory a, TrackingHostFactory b, string rider)
    {
        var client = a.CreateClient();
        var order = await client.PlaceAsync();
        (await client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        (await client.PickedAsync(order.Id(), rider)).EnsureSuccessStatusCode();
        await Agreed(client, b.CreateClient(), order.Id(), live => live["trackingVersion"]!.GetValue<long>() >= 3);
        return order.Id();
    }

    /// <summary>The order's live state once both instances serve the same one and it satisfies <paramref name="condition"/>.</summary>
    private static Task<JsonObject> Agreed(HttpClient a, HttpClient b, string orderId, Func<JsonObject, bool> condition) =>
        Eventually.Until(async () =>
        {
            var onA = await a.LiveWhen(orderId, condition);
            var onB = await b.LiveWhen(orderId, condition);
            return onA.ToJsonString() == onB.ToJsonString() ? onA : null;
        });

    private static async Task ScanAsync(TrackingHostFactory host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AlertScan>().RunAsync(CancellationToken.None);
    }
}
