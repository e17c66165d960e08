using CsCheck;
using XiaoxiangTracking.Modules.Shared.Domain;

namespace XiaoxiangTracking.Tests.Tracking;

public class GeohashCoverTests
{
    [Fact]
    public void Every_point_within_the_radius_has_a_geohash_in_one_of_the_covering_cells()
    {
        // Centres across China's latitudes, radii from a street to a district, points anywhere inside the circle.
        Gen.Select(Gen.Double[18, 53], Gen.Double[73, 135], Gen.Double[50, 20_000], Gen.Double[0, 1], Gen.Double[0, 2 * Math.PI])
            .Sample((latitude, longitude, radius, fraction, bearing) =>
            {
                var center = new GeoCoordinate(latitude, longitude);
                var distance = radius * fraction * 0.999;
                var point = new GeoCoordinate(
                    latitude + (distance * Math.Cos(bearing) / 111_320),
                    longitude + (distance * Math.Sin(bearing) / (111_320 * Math.Cos(latitude * Math.PI / 180))));
                var cells = Geohash.CoveringCells(center, radius);
                var geohash = Geohash.Encode(point.Latitude, point.Longitude);
                return GeoDistance.Meters(center, point) > radius
                    || cells.Any(cell => geohash.StartsWith(cell, StringComparison.Ordinal));
            });
    }

    [Theory]
    [InlineData(100)]
    [InlineData(5_000)]
    [InlineData(20_000)]
    public void The_cover_is_at_most_three_by_three_of_the_finest_cells_spanning_the_radius(double radius)
    {
        var cells = Geohash.CoveringCells(new GeoCoordinate(31.22, 121.54), radius);

        cells.Should().HaveCountLessThanOrEqualTo(9);
        cells.Select(c => c.Length).Distinct().Should().ContainSingle();
        // The cells span the radius, and one character more would not: they are the finest that do.
        var precision = cells[0].Length;
        var latitudeSpan = radius / 111_320;
        var longitudeSpan = latitudeSpan / Math.Cos(31.22 * Math.PI / 180);
        CellHeight(precision).Should().BeGreaterThanOrEqualTo(latitudeSpan);
        CellWidth(precision).Should().BeGreaterThanOrEqualTo(longitudeSpan);
        (CellHeight(precision + 1) < latitudeSpan || CellWidth(precision + 1) < longitudeSpan).Should().BeTrue();
    }

    private static double CellHeight(int precision) => 180 / Math.Pow(2, 5 * precision / 2);

    private static double CellWidth(int precision) => 360 / Math.Pow(2, (5 * precision + 1) / 2);
}
