using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Features.Alerts;
using XiaoxiangTracking.Tests.Support;
using XiaoxiangTracking.Web.Demo;

namespace XiaoxiangTracking.Tests.Demo;

/// <summary>
/// The demo city with its default settings (12 riders, two warehouses), on a clock the test moves one report
/// interval at a time; the alert scan runs every minute of city time, as its recurring job does.
/// </summary>
public class DemoSteadyStateTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_an_hour_the_demo_city_has_a_steady_number_of_orders_no_backlog_and_only_the_alerts_its_incidents_cause()
    {
        using var folder = new TestFolder();
        using var host = DemoHost(folder.Path);
        var ops = host.CreateClient();
        var progress = host.Services.GetRequiredService<DemoProgress>();
        await Eventually.Until(() => progress.Rounds >= 1);
        var active = new List<int>();

        for (var round = 2; round <= 240; round++)
        {
            await NextRoundAsync(host, progress, round);
            if (round % 20 == 0)
            {
                active.Add(await ActiveOrdersAsync(ops));
                output.WriteLine($"{round / 4} min: {Describe(host)}, active now {active[^1]}");
            }
        }

        var published = host.Notifications.Published;
        var delivered = published.OfType<OrderDelivered>().Count();
        var raised = published.OfType<AlertRaised>().ToList();
        var open = JsonNode.Parse(await ops.GetStringAsync("/api/tracking/alerts?unresolved=true&limit=500"))!.AsArray();
        // Steady: after the first quarter hour the orders being picked or delivered stay at the riders' capacity.
        active.Skip(3).Should().OnlyContain(count => count >= 8 && count <= 13, "one order per rider at most, and the city keeps them busy");
        delivered.Should().BeGreaterThanOrEqualTo(20, "twelve riders deliver a couple of orders an hour each");
        published.OfType<OrderDelivered>().Should().OnlyHaveUniqueItems(d => d.OrderId);
        (await OrdersWaitingForARiderAsync(ops)).Should().Be(0);
        open.Count.Should().BeLessThanOrEqualTo(3);
        raised.Count.Should().BeLessThanOrEqualTo(delivered, "alerts come from the scripted incidents (offline, stall, detour on a few rides) and what they delay");
        raised.Count(a => a.Type == AlertType.Timeout).Should().BeLessThanOrEqualTo(Math.Max(3, delivered / 8), "all but a few deliveries are on time");
        host.Logs!.Messages.Should().NotContain(m => m.Contains("No rider available", StringComparison.Ordinal), "the city's warehouses hand bags to free riders at the counter");
        OwnWarnings(host).Should().BeEmpty();
    }

    /// <summary>
    /// Stopped and started again on the same data, the riders carry on from where they were: their first reports are
    /// accepted (no jump back to where they started the day), they finish what they carried, and only they are given
    /// the city's orders — a rider someone reported by hand is not.
    /// </summary>
    [Fact]
    public async Task Restarted_on_the_same_data_the_riders_carry_on_from_where_they_were_and_only_they_get_the_citys_orders()
    {
        using var folder = new TestFolder();
        var tokens = new TestTokens(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var stoppedAt = DateTimeOffset.UtcNow;
        var carried = new List<string>();
        var assignments = new List<RiderAssigned>();
        using (var first = DemoHost(folder.Path, tokens))
        {
            var ops = first.CreateClient();
            var progress = first.Services.GetRequiredService<DemoProgress>();
            await Eventually.Until(() => progress.Rounds >= 1);
            // A rider nobody simulates reports once by hand, beside the city's warehouse.
            (await ops.PostAsJsonAsync("/api/tracking/positions", new
            {
                riderId = "r-by-hand",
                pointId = "1",
                fixTime = first.Clock!.GetUtcNow(),
                latitude = DemoSimulator.Warehouses[0].Location.Latitude,
                longitude = DemoSimulator.Warehouses[0].Location.Longitude,
            })).EnsureSuccessStatusCode();
            for (var round = 2; round <= 80; round++)
            {
                await NextRoundAsync(first, progress, round);
            }

            carried = [.. JsonNode.Parse(await ops.GetStringAsync("/api/orders?status=3&pageSize=100"))!["items"]!.AsArray()
                .Select(o => o!["id"]!.GetValue<string>())];
            stoppedAt = first.Clock.GetUtcNow();
            assignments.AddRange(first.Notifications.Published.OfType<RiderAssigned>());
        }

        carried.Should().NotBeEmpty("riders were out on deliveries when the city stopped");
        using var second = DemoHost(folder.Path, tokens, stoppedAt.AddMinutes(1));
        var opsAgain = second.CreateClient();
        var again = second.Services.GetRequiredService<DemoProgress>();
        await Eventually.Until(() => again.Rounds >= 1);
        for (var round = 2; round <= 140; round++)
        {
            await NextRoundAsync(second, again, round);
        }

        OwnWarnings(second).Should().BeEmpty("the riders' first reports after the restart continue their tracks");
        foreach (var orderId in carried)
        {
            (await opsAgain.GetFromJsonAsync<JsonObject>($"/api/orders/{orderId}"))!["status"]!.GetValue<int>()
                .Should().Be(4, "what the riders carried when the city stopped is delivered after it started again");
        }

        assignments.AddRange(second.Notifications.Published.OfType<RiderAssigned>());
        assignments.Should().Contain(a => second.Notifications.Published.OfType<RiderAssigned>().Contains(a), "the city goes on handing out orders");
        assignments.Should().OnlyContain(a => a.RiderId.StartsWith("rider-demo-", StringComparison.Ordinal));
    }

    private static TrackingHostFactory DemoHost(string folder, TestTokens? tokens = null, DateTimeOffset? start = null) =>
        new TrackingHostFactory(folder, tokens).WithClock(start).InEnvironment("Development")
            .With("Demo:Enabled", "true")
            .With("Demo:ApiBaseAddress", "http://localhost")
            .With("Demo:HubTransport", "LongPolling")
            // The rate limiters count real minutes, and an hour of this city passes in one or two real ones.
            .With("Security:RateLimits:PositionsPerRiderPerMinute", "100000")
            .With("Security:RateLimits:OrderActionsPerCustomerPerMinute", "100000")
            .WithTestServerFor(DemoSimulator.HttpClientName)
            .CaptureLogs();

    /// <summary>One report interval of city time; every minute, the alert scan's recurring job (Hangfire keeps real time).</summary>
    private static async Task NextRoundAsync(TrackingHostFactory host, DemoProgress progress, int round)
    {
        host.Clock!.Advance(TimeSpan.FromSeconds(15));
        await Eventually.Until(() => progress.Rounds >= round);
        if (round % 4 == 0)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AlertScan>().RunAsync(CancellationToken.None);
        }
    }

    /// <summary>What the host's own code logged as a warning or an error.</summary>
    private static IEnumerable<string> OwnWarnings(TrackingHostFactory host) =>
        host.Logs!.Messages.Where(m => m.StartsWith("Warning XiaoxiangTracking", StringComparison.Ordinal) || m.StartsWith("Error XiaoxiangTracking", StringComparison.Ordinal));

    private static async Task<int> ActiveOrdersAsync(HttpClient ops) =>
        JsonNode.Parse(await ops.GetStringAsync("/api/orders?status=2&status=3&pageSize=100"))!["items"]!.AsArray().Count;

    private static async Task<int> OrdersWaitingForARiderAsync(HttpClient ops) =>
        JsonNode.Parse(await ops.GetStringAsync("/api/orders?status=3&pageSize=100"))!["items"]!.AsArray()
            .Count(o => o!["riderId"] is null);

    private static string Describe(TrackingHostFactory host)
    {
        var published = host.Notifications.Published;
        var raised = published.OfType<AlertRaised>().ToList();
        return $"placed {published.OfType<OrderPlaced>().Count()}, delivered {published.OfType<OrderDelivered>().Count()}, "
            + $"alerts raised {raised.Count} ({string.Join(", ", raised.GroupBy(a => a.Facts?.Reason).Select(g => $"{g.Key} {g.Count()}"))})";
    }
}
