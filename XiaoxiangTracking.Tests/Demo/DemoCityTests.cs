using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;
using XiaoxiangTracking.Web.Demo;

namespace XiaoxiangTracking.Tests.Demo;

/// <summary>The demo city on the host's clock: its apps order, pick, dispatch, ride and deliver through the API and the hub.</summary>
public class DemoCityTests
{
    [Fact]
    public async Task In_development_the_demo_city_orders_picks_rides_and_delivers_through_the_public_api()
    {
        using var host = new TrackingHostFactory().WithClock().InEnvironment("Development")
            .With("Demo:Enabled", "true")
            .With("Demo:ApiBaseAddress", "http://localhost")
            .With("Demo:HubTransport", "LongPolling")
            .With("Demo:Riders", "3")
            .With("Demo:OrderInterval", "00:01:00")
            .With("Demo:ActiveOrdersPerRider", "5")
            .With("Demo:StageDuration", "00:00:15")
            .With("Demo:CustomerRadiusMeters", "600")
            .With("Demo:SpeedMetersPerSecond", "8")
            .WithTestServerFor(DemoSimulator.HttpClientName)
            .CaptureLogs();
        host.CreateClient();
        var progress = host.Services.GetRequiredService<DemoProgress>();
        await Eventually.Until(() => progress.Rounds >= 1);

        // The city on the report clock, one interval at a time, each round of reports done before the next, until
        // an order the riders were given has been delivered (at most an hour of city time).
        var delivered = new List<OrderDelivered>();
        for (var round = 2; round <= 240 && (delivered.Count == 0 || round <= 40); round++)
        {
            host.Clock!.Advance(TimeSpan.FromSeconds(15));
            await Eventually.Until(() => progress.Rounds >= round);
            delivered = [.. host.Notifications.Published.OfType<OrderDelivered>()];
        }

        host.Logs!.Messages.Count(m => m.Contains("Demo city running", StringComparison.Ordinal)).Should().Be(1, "one host, one city");
        host.Logs.Messages.Where(m => m.Contains("Demo", StringComparison.Ordinal) && m.StartsWith("Warning", StringComparison.Ordinal))
            .Select(m => m[..Math.Min(m.Length, 900)]).Should().BeEmpty();
        var placed = host.Notifications.Published.OfType<OrderPlaced>().ToList();
        placed.Should().HaveCountGreaterThanOrEqualTo(6, "an order a minute for at least ten minutes");
        placed.Select(o => o.CustomerId).Should().OnlyContain(c => c.StartsWith("c-demo-", StringComparison.Ordinal));
        host.Notifications.Published.OfType<OrderPaid>().Should().HaveCountGreaterThanOrEqualTo(6);
        var assigned = host.Notifications.Published.OfType<RiderAssigned>().ToList();
        assigned.Should().NotBeEmpty().And.OnlyContain(a => a.RiderId.StartsWith("rider-demo-", StringComparison.Ordinal));
        delivered.Should().Contain(d => assigned.Any(a => a.OrderId == d.OrderId), "riders ride their orders to the door");
        host.Notifications.Deltas(assigned[0].OrderId).Should().Contain(d => d.Position != null, "the riders' fixes move the orders they carry");
    }

    [Fact]
    public void Outside_development_the_demo_does_not_run_even_when_enabled()
    {
        using var host = new TrackingHostFactory().WithClock().With("Demo:Enabled", "true").With("Demo:ApiBaseAddress", "http://localhost");
        host.CreateClient();

        host.Clock!.Advance(TimeSpan.FromMinutes(2));

        host.Services.GetRequiredService<DemoProgress>().Rounds.Should().Be(0);
        host.Notifications.Published.OfType<OrderPlaced>().Should().BeEmpty();
    }
}
