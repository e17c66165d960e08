namespace XiaoxiangTracking.Modules.Shared.Domain;

public static class GeoDistance
{
    private const double EarthRadiusMeters = 6_371_008.8;

    /// <summary>Metres per degree of latitude (and of longitude at the equator), for local planes across a city.</summary>
    public const double MetersPerDegree = 111_320;

    /// <summary>Great-circle (haversine) distance in metres; within 0.5 % of the ellipsoid at city scale.</summary>
    public static double Meters(GeoCoordinate a, GeoCoordinate b)
    {
        var dLat = DegreesToRadians(b.Latitude - a.Latitude);
        var dLng = DegreesToRadians(b.Longitude - a.Longitude);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(DegreesToRadians(a.Latitude)) * Math.Cos(DegreesToRadians(b.Latitude)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2));
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;

    /// <summary>
    /// Distance in metres from <paramref name="point"/> to the segment <paramref name="from"/>–<paramref name="to"/>, on a
    /// local plane around <paramref name="from"/> (equirectangular: exact enough across a city).
    /// </summary>
    public static double ToSegmentMeters(GeoCoordinate point, GeoCoordinate from, GeoCoordinate to)
    {
        var cosLatitude = Math.Cos(DegreesToRadians(from.Latitude));
        (double X, double Y) Local(GeoCoordinate c) =>
            ((c.Longitude - from.Longitude) * cosLatitude * MetersPerDegree, (c.Latitude - from.Latitude) * MetersPerDegree);

        var (px, py) = Local(point);
        var (bx, by) = Local(to);
        var lengthSquared = (bx * bx) + (by * by);
        var t = lengthSquared == 0 ? 0 : Math.Clamp(((px * bx) + (py * by)) / lengthSquared, 0, 1);
        var (dx, dy) = (px - (t * bx), py - (t * by));
        return Math.Sqrt((dx * dx) + (dy * dy));
    }

    /// <summary>The point <paramref name="northMeters"/> north and <paramref name="eastMeters"/> east of <paramref name="at"/> (local plane).</summary>
    public static GeoCoordinate Offset(GeoCoordinate at, double northMeters, double eastMeters) => new(
        at.Latitude + (northMeters / MetersPerDegree),
        at.Longitude + (eastMeters / (MetersPerDegree * Math.Cos(DegreesToRadians(at.Latitude)))));
}
