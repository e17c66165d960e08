using System.Net.Http.Json;
using System.Text.Json.Nodes;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Features.Quality;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Eta;

public class TrackingQualityTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(15, 0, "High")]
    [InlineData(30, 0, "Medium")]
    [InlineData(15, 6, "Medium")]
    [InlineData(60, 0, "Low")]
    [InlineData(15, 20, "Low")]
    public void Confidence_follows_sampling_and_filtering(int everySeconds, int rejected, string expected)
    {
        var times = Enumerable.Range(1, 600 / everySeconds).Select(i => Start.AddSeconds(i * everySeconds)).ToList();

        var (_, _, _, _, confidence) = TrackingQuality.Measure(times, Start, Start.AddMinutes(10), rejected);

        confidence.Should().Be(expected);
    }

    [Fact]
    public void A_long_silence_is_the_longest_gap_and_makes_confidence_low()
    {
        var times = new[] { Start.AddSeconds(15), Start.AddSeconds(30), Start.AddMinutes(5) };

        var (expected, sampling, gap, filtered, confidence) = TrackingQuality.Measure(times, Start, Start.AddMinutes(5).AddSeconds(15), 1);

        expected.Should().Be(21);
        sampling.Should().BeApproximately(3 / 21.0, 0.001);
        gap.Should().Be(TimeSpan.FromSeconds(270));
        filtered.Should().Be(0.25);
        confidence.Should().Be("Low");
    }

    [Fact]
    public async Task Ops_read_the_numbers_and_the_customer_sees_them_as_the_confidence_of_the_ETA()
    {
        using var host = new TrackingHostFactory().WithClock(Start);
        var client = host.CreateClient();
        var rider = RiderApp.NewRider();
        var order = await client.PlaceAsync();
        (await client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        (await client.PickedAsync(order.Id(), rider)).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == order.Id() && d.Version == 3);

        // Two minutes of good reports, one fix too inaccurate to use, then four minutes of silence and one more fix.
        for (var i = 1; i <= 8; i++)
        {
            host.Clock!.Advance(TimeSpan.FromSeconds(15));
            await client.ReportAsync(rider, RiderApp.AlongRoute(i * 0.005), host.Clock.GetUtcNow());
        }

        var blurred = await client.PostAsJsonAsync("/api/tracking/positions", new JsonObject
        {
            ["riderId"] = rider, ["pointId"] = "blurred", ["fixTime"] = host.Clock!.GetUtcNow().AddSeconds(-1),
            ["latitude"] = RiderApp.AlongRoute(0.04).Latitude, ["longitude"] = RiderApp.AlongRoute(0.04).Longitude, ["accuracy"] = 900,
        });
        blurred.StatusCode.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity);
        host.Clock.Advance(TimeSpan.FromMinutes(4));
        await client.ReportAsync(rider, RiderApp.AlongRoute(0.1), host.Clock.GetUtcNow());

        var quality = await client.GetFromJsonAsync<JsonObject>($"/api/orders/{order.Id()}/tracking-quality");
        quality!["fixes"]!.GetValue<int>().Should().Be(9);
        quality["expectedFixes"]!.GetValue<int>().Should().Be(24);
        quality["longestGap"]!.GetValue<string>().Should().Be("00:04:00");
        quality["rejectedFixes"]!.GetValue<int>().Should().Be(1);
        quality["confidence"]!.GetValue<string>().Should().Be("Low");
        var live = await client.LiveWhen(order.Id(), l => l["eta"]?["confidence"]?.GetValue<string>() == "Low");
        live["eta"]!["confidence"]!.GetValue<string>().Should().Be("Low");
    }
}
