using System.Text.Json;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Tests.Tracking;

/// <summary>
/// The position and arrival estimate every delivering order's state and delta history hold, kept compact (UTC ticks,
/// NaN for what was not reported, the shared copy of the confidence): they read back exactly as they were made.
/// </summary>
public class LiveRecordsTests
{
    private static readonly DateTimeOffset InShanghai = new(2026, 12, 3, 18, 15, 30, 250, TimeSpan.FromHours(8));

    [Fact]
    public void A_position_reads_back_its_instant_in_utc_and_null_for_what_was_not_reported()
    {
        var bare = new LivePosition(31.2304, 121.4737, InShanghai, null, null);
        var full = new LivePosition(31.2304, 121.4737, InShanghai, 0, 359.5);

        bare.FixTime.Should().Be(InShanghai);
        bare.FixTime.Offset.Should().Be(TimeSpan.Zero);
        bare.FixTime.UtcTicks.Should().Be(InShanghai.UtcTicks);
        (bare.Speed, bare.Heading).Should().Be(((double?)null, (double?)null));
        (full.Speed, full.Heading).Should().Be(((double?)0, (double?)359.5));
        (bare with { Speed = 4.2 }).Speed.Should().Be(4.2);
        (full with { Heading = null }).Heading.Should().BeNull();
        (full with { Heading = null }).Should().NotBe(full);
        bare.Should().NotBe(full);
        new LivePosition(31.2304, 121.4737, InShanghai.ToUniversalTime(), null, null).Should().Be(bare);
    }

    [Fact]
    public void A_delta_with_a_position_and_an_estimate_reads_back_from_json_equal_with_the_shared_confidence()
    {
        var sent = new OrderTrackingChanged("o-1", 7, null, null, new LivePosition(31.2304, 121.4737, InShanghai, 5.2, null), null,
            InShanghai, null, new LiveEta(InShanghai.AddMinutes(12), InShanghai.AddMinutes(9), InShanghai.AddMinutes(16), true, "Medium"));
        var json = JsonSerializer.Serialize(sent, JsonSerializerOptions.Web);
        var received = JsonSerializer.Deserialize<OrderTrackingChanged>(json, JsonSerializerOptions.Web)!;
        var again = JsonSerializer.Deserialize<OrderTrackingChanged>(json, JsonSerializerOptions.Web)!;

        received.Should().Be(sent);
        received.Position!.Heading.Should().BeNull();
        received.Position.Speed.Should().Be(5.2);
        received.Eta!.EstimatedAt.Should().Be(InShanghai.AddMinutes(12));
        (received.Eta.Earliest, received.Eta.Latest).Should().Be((InShanghai.AddMinutes(9), InShanghai.AddMinutes(16)));
        received.Eta.Confidence.Should().Be("Medium");
        again.Eta!.Confidence.Should().BeSameAs(received.Eta.Confidence, "one copy of the word, however many orders read it");
        (received.Eta with { Confidence = null }).Confidence.Should().BeNull();
    }
}
