using System.Net;
using XiaoxiangTracking.Modules.Shared.Observability;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Operations;

/// <summary>The seed's cache of active orders: warmed at start-up, so reads of active orders after a restart are served from it.</summary>
public class LiveCacheTests
{
    [Fact]
    public async Task After_a_restart_active_orders_are_read_from_the_warmed_cache_and_completed_ones_are_loaded_once()
    {
        using var folder = new TestFolder();
        string id, done;
        using (var first = new TrackingHostFactory(folder))
        {
            id = await first.DeliveringOrderAsync(RiderApp.NewRider());
            var rider = RiderApp.NewRider();
            done = await first.DeliveringOrderAsync(rider);
            (await first.CreateClient().DeliveredAsync(done, rider)).EnsureSuccessStatusCode();
            await first.CreateClient().LiveWhen(done, live => live["status"]!.GetValue<int>() == 4);
            // Every change published and marked so: none is delivered again by the next host (which would load the
            // completed order, or apply a change before the cache is warm, before the reads below).
            var firstMetrics = first.CreateDefaultClient();
            await Eventually.Until(async () =>
            {
                var lags = MetricsTests.Parse(await firstMetrics.GetStringAsync("/metrics"))
                    .Where(sample => sample.Key.StartsWith(ServiceMetrics.OutboxLagName, StringComparison.Ordinal)).ToList();
                return lags.Count > 0 && lags.All(sample => sample.Value == 0);
            });
        }

        using var host = new TrackingHostFactory(folder);
        var ops = host.CreateClient();
        var metrics = host.CreateDefaultClient();

        (await ops.GetAsync($"/api/orders/{id}/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        var afterWarmRead = MetricsTests.Parse(await metrics.GetStringAsync("/metrics"));
        (await ops.GetAsync($"/api/orders/{done}/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        var afterCompletedRead = MetricsTests.Parse(await metrics.GetStringAsync("/metrics"));

        var hit = MetricsTests.Sample(ServiceMetrics.LiveCacheLookupsName, "result", "hit");
        var miss = MetricsTests.Sample(ServiceMetrics.LiveCacheLookupsName, "result", "miss");
        afterWarmRead[hit].Should().BeGreaterThanOrEqualTo(1);
        afterWarmRead.GetValueOrDefault(miss).Should().Be(0, "the restarted host loaded every active order before serving");
        afterCompletedRead[miss].Should().Be(1, "a completed order is not warmed: it is loaded from the database once");
    }

    [Fact]
    public async Task A_completed_order_stays_cached_for_an_hour_after_its_last_change_and_is_then_evicted()
    {
        using var host = new TrackingHostFactory().WithClock();
        var ops = host.CreateClient();
        var metrics = host.CreateDefaultClient();
        var rider = RiderApp.NewRider();
        var id = await host.DeliveringOrderAsync(rider);
        (await ops.DeliveredAsync(id, rider)).EnsureSuccessStatusCode();
        await ops.LiveWhen(id, live => live["status"]!.GetValue<int>() == 4);
        var miss = MetricsTests.Sample(ServiceMetrics.LiveCacheLookupsName, "result", "miss");
        async Task<double> Misses() => MetricsTests.Parse(await metrics.GetStringAsync("/metrics")).GetValueOrDefault(miss);
        var before = await Misses();

        host.Clock!.Advance(TimeSpan.FromMinutes(59));
        (await ops.GetAsync($"/api/orders/{id}/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Misses()).Should().Be(before, "59 minutes after completion the order is still served from the cache");

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        (await ops.GetAsync($"/api/orders/{id}/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Misses()).Should().Be(before + 1, "an hour after completion it was evicted and is loaded from the database");
    }
}
