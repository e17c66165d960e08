using System.Text.Json;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Tests.Tracking;

/// <summary>The position and arrival estimate a delta carries are plain records: they read back exactly as they were sent.</summary>
public class LiveRecordsTests
{
    private static readonly DateTimeOffset InShanghai = new(2026, 12, 3, 18, 15, 30, 250, TimeSpan.FromHours(8));

    [Fact]
    public void A_delta_with_a_position_and_an_estimate_reads_back_from_json_equal()
    {
        var sent = new OrderTrackingChanged("o-1", 7, null, null, new LivePosition(31.2304, 121.4737, InShanghai, 5.2, null), null,
            InShanghai, null, new LiveEta(InShanghai.AddMinutes(12), InShanghai.AddMinutes(9), InShanghai.AddMinutes(16), true, "Medium"));
        var json = JsonSerializer.Serialize(sent, JsonSerializerOptions.Web);
        var received = JsonSerializer.Deserialize<OrderTrackingChanged>(json, JsonSerializerOptions.Web)!;

        received.Should().Be(sent);
        received.Position!.Heading.Should().BeNull();
        received.Position.Speed.Should().Be(5.2);
        received.Eta!.EstimatedAt.Should().Be(InShanghai.AddMinutes(12));
        (received.Eta.Earliest, received.Eta.Latest).Should().Be((InShanghai.AddMinutes(9), InShanghai.AddMinutes(16)));
        received.Eta.Confidence.Should().Be("Medium");
        (received.Eta with { Confidence = null }).Confidence.Should().BeNull();
    }
}
