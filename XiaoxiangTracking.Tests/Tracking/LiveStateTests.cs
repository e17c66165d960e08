using System.Net;
using Mediator;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Features.LiveState;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Tracking;

public class LiveStateTests(SteadyEtaHostFactory host) : IClassFixture<SteadyEtaHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Every_change_is_the_next_version_and_carries_only_the_changed_fields()
    {
        var rider = RiderApp.NewRider();
        var order = await _client.PlaceAsync();
        var id = order.Id();
        (await _client.PayAsync(id, order.Total())).EnsureSuccessStatusCode();
        (await _client.PickedAsync(id, rider)).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == id && d.Version == 3);
        var fixTime = DateTimeOffset.UtcNow;
        await _client.ReportAsync(rider, RiderApp.NearWarehouse(100), fixTime);
        (await _client.DeliveredAsync(id, rider)).EnsureSuccessStatusCode();

        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == id && d.Active == false);
        var deltas = host.Notifications.Deltas(id);

        deltas.Select(d => d.Version).Should().Equal(1, 2, 3, 4, 5);
        deltas.Select(d => (d.Status, d.RiderId, d.Position is not null, d.Active)).Should().Equal(
            (OrderStatus.PendingPayment, null, false, true),
            (OrderStatus.Paid, null, false, null),
            (OrderStatus.Delivering, rider, false, null),
            (null, null, true, null),
            (OrderStatus.Completed, null, false, false));
        deltas[3].Position.Should().BeEquivalentTo(new { FixTime = fixTime, RiderApp.NearWarehouse(100).Latitude });
        deltas.Select(d => d.Cleared).Should().Equal(
            LiveFields.None, LiveFields.None, LiveFields.Position, LiveFields.None, LiveFields.Position | LiveFields.Eta);
        var live = await _client.LiveWhen(id, l => l["trackingVersion"]!.GetValue<long>() == 5);
        live["status"]!.GetValue<int>().Should().Be(4);
        live["active"]!.GetValue<bool>().Should().BeFalse();
        live["riderId"]!.GetValue<string>().Should().Be(rider, "who delivered it stays known");
        live["position"].Should().BeNull("a delivered order has no rider on the way");
        live["eta"].Should().BeNull("nor anything to expect");
    }

    [Fact]
    public async Task One_fix_moves_every_order_the_rider_carries_and_an_older_fix_moves_none()
    {
        var rider = RiderApp.NewRider();
        var first = await DeliveringOrder(rider);
        var second = await DeliveringOrder(rider);
        var now = DateTimeOffset.UtcNow;
        await _client.ReportAsync(rider, RiderApp.NearWarehouse(200), now);
        await _client.LiveWhen(first, l => l["position"] is not null);
        await _client.LiveWhen(second, l => l["position"] is not null);

        await _client.ReportAsync(rider, RiderApp.NearWarehouse(150), now.AddSeconds(-15));

        foreach (var id in new[] { first, second })
        {
            var live = await (await _client.GetAsync($"/api/orders/{id}/live")).ReadJsonAsync();
            live["trackingVersion"]!.GetValue<long>().Should().Be(4);
            live["position"]!["fixTime"]!.GetValue<DateTimeOffset>().Should().Be(now);
            host.Notifications.Deltas(id).Where(d => d.Position is not null).Should().ContainSingle();
        }
    }

    [Fact]
    public async Task A_delta_after_a_gap_makes_the_cache_reload_the_order_instead_of_applying_it()
    {
        var rider = RiderApp.NewRider();
        var id = await DeliveringOrder(rider);
        await _client.LiveWhen(id, l => l["trackingVersion"]!.GetValue<long>() == 3);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            // Version 5 while the cache holds 3: version 4 was lost, so this one cannot be applied on top.
            await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(
                new OrderTrackingChanged(id, 5, OrderStatus.Cancelled, null, null, false, DateTimeOffset.UtcNow));
        }

        var live = await (await _client.GetAsync($"/api/orders/{id}/live")).ReadJsonAsync();
        live["trackingVersion"]!.GetValue<long>().Should().Be(3);
        live["status"]!.GetValue<int>().Should().Be(3);
        live["active"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task An_unknown_order_has_no_live_state()
    {
        var response = await _client.GetAsync("/api/orders/00000000000000000000000000000000/live");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    private async Task<string> DeliveringOrder(string rider)
    {
        var order = await _client.PlaceAsync();
        (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        (await _client.PickedAsync(order.Id(), rider)).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == order.Id() && d.Version == 3);
        return order.Id();
    }
}

public class LiveStateRestartTests
{
    [Fact]
    public async Task The_cache_of_active_orders_is_rebuilt_from_the_database_at_start_up()
    {
        using var dataFolder = new TestFolder();
        string active;
        string finished;
        long version;
        using (var first = new TrackingHostFactory(dataFolder))
        {
            var client = first.CreateClient();
            active = (await client.PlaceAsync()).Id();
            var done = await client.PlaceAsync();
            finished = done.Id();
            (await client.CancelAsync(finished)).EnsureSuccessStatusCode();
            version = (await client.LiveWhen(active, _ => true))["trackingVersion"]!.GetValue<long>();
            await client.LiveWhen(finished, l => !l["active"]!.GetValue<bool>());
        }

        using var second = new TrackingHostFactory(dataFolder);
        second.CreateClient();
        var cache = second.Services.GetRequiredService<HybridCache>();

        var loadedFromDatabase = new List<string>();
        var cached = await cache.GetOrCreateAsync<LiveOrderSnapshot?>(active, _ =>
        {
            loadedFromDatabase.Add(active);
            return ValueTask.FromResult<LiveOrderSnapshot?>(null);
        });
        var notCached = await cache.GetOrCreateAsync<LiveOrderSnapshot?>(finished, _ =>
        {
            loadedFromDatabase.Add(finished);
            return ValueTask.FromResult<LiveOrderSnapshot?>(null);
        });

        loadedFromDatabase.Should().Equal(finished);
        cached.Should().NotBeNull();
        cached!.Version.Should().Be(version);
        cached.Status.Should().Be(OrderStatus.PendingPayment);
        notCached.Should().BeNull();
    }
}
