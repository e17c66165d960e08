using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Ingest;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Tests.Tracking;

public class PositionFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);
    private static readonly PositionFilterOptions Defaults = new();

    /// <summary>Each rule at, just inside and just outside its boundary. Expected null = kept.</summary>
    public static TheoryData<string, double, double, double, double?, string?> Fixes => new()
    {
        // name, latitude, longitude, seconds from now, accuracy m, expected rejection
        { "ordinary fix", 31.2304, 121.4737, 0, 8, null },
        { "latitude 90 is valid", 90, 121.4737, 0, 8, null },
        { "latitude above 90", 90.000001, 121.4737, 0, 8, "InvalidCoordinates" },
        { "latitude below -90", -90.5, 121.4737, 0, 8, "InvalidCoordinates" },
        { "longitude -180 is valid", 31.23, -180, 0, 8, null },
        { "longitude above 180", 31.23, 180.1, 0, 8, "InvalidCoordinates" },
        { "latitude NaN", double.NaN, 121.4737, 0, 8, "InvalidCoordinates" },
        { "longitude infinite", 31.23, double.PositiveInfinity, 0, 8, "InvalidCoordinates" },
        { "null island", 0, 0, 0, 8, "ZeroCoordinates" },
        { "on the equator is fine", 0, 121.4737, 0, 8, null },
        { "2 min ahead is clock skew", 31.23, 121.47, 120, 8, null },
        { "just over 2 min ahead", 31.23, 121.47, 121, 8, "FixTimeInFuture" },
        { "24 h old offline buffer", 31.23, 121.47, -86_400, 8, null },
        { "older than 24 h", 31.23, 121.47, -86_401, 8, "FixTimeTooOld" },
        { "accuracy at the limit", 31.23, 121.47, 0, 100, null },
        { "accuracy just over", 31.23, 121.47, 0, 100.1, "PoorAccuracy" },
        { "negative accuracy", 31.23, 121.47, 0, -1, "PoorAccuracy" },
        { "no accuracy reported", 31.23, 121.47, 0, null, null },
    };

    [Theory]
    [MemberData(nameof(Fixes))]
    public void Each_filter_rule_rejects_exactly_past_its_boundary(
        string name, double latitude, double longitude, double secondsFromNow, double? accuracy, string? expected)
    {
        var fix = Fix(latitude, longitude, Now.AddSeconds(secondsFromNow), accuracy);

        var result = PositionFilter.Check(fix, previous: null, Now, Defaults);

        result?.ToString().Should().Be(expected, name);
    }

    [Theory]
    [InlineData(15, 250, null)] // 16.7 m/s: fast e-bike, kept
    [InlineData(15, 310, "ImplausibleSpeed")] // 20.7 m/s
    [InlineData(1, 45, null)] // 45 m/s but under the 50 m noise floor
    [InlineData(1, 60, "ImplausibleSpeed")]
    public void A_jump_faster_than_an_e_bike_from_the_previous_fix_is_rejected(double seconds, double metresNorth, string? expected)
    {
        var previous = Fix(31.2304, 121.4737, Now.AddSeconds(-seconds), 5);
        var fix = Fix(31.2304 + (metresNorth / 111_195.0), 121.4737, Now, 5);

        PositionFilter.Check(fix, previous.Point, Now, Defaults)?.ToString().Should().Be(expected);
    }

    [Fact]
    public void The_thresholds_are_options()
    {
        var strict = new PositionFilterOptions { MaxAccuracyMeters = 10, MaxFutureSkew = TimeSpan.Zero };

        PositionFilter.Check(Fix(31.23, 121.47, Now, 11), null, Now, strict).Should().Be(RejectionReason.PoorAccuracy);
        PositionFilter.Check(Fix(31.23, 121.47, Now.AddSeconds(1), 5), null, Now, strict).Should().Be(RejectionReason.FixTimeInFuture);
    }

    [Theory]
    [InlineData(42.6, -5.6, 5, "ezs42")]
    [InlineData(57.64911, 10.40744, 11, "u4pruydqqvj")]
    [InlineData(31.2304, 121.4737, 9, "wtw3sjq6q")]
    public void Geohash_matches_the_reference_encoding(double latitude, double longitude, int precision, string expected)
    {
        Geohash.Encode(latitude, longitude, precision).Should().Be(expected);
    }

    [Fact]
    public void Haversine_distance_matches_a_known_city_distance()
    {
        // People's Square to Lujiazui, Shanghai: about 2.7 km.
        GeoDistance.Meters(new GeoCoordinate(31.2304, 121.4737), new GeoCoordinate(31.2397, 121.4998))
            .Should().BeApproximately(2_680, 60);
    }

    private static PositionFix Fix(double latitude, double longitude, DateTimeOffset at, double? accuracy) =>
        new("rider-1", Guid.NewGuid().ToString("N"), at, latitude, longitude, accuracy, null, null);
}
