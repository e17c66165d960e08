namespace XiaoxiangTracking.Modules.Shared.Domain;

/// <summary>A WGS 84 position (SRID 4326), latitude first as in SQL Server's <c>geography::Point</c>.</summary>
/// <param name="Latitude">Degrees north, -90 to 90.</param>
/// <param name="Longitude">Degrees east, -180 to 180.</param>
public readonly record struct GeoCoordinate(double Latitude, double Longitude)
{
    /// <summary>True when both values are finite and in range, and the point is not the (0,0) "null island" a broken GPS reports.</summary>
    public bool IsPlausible =>
        double.IsFinite(Latitude) && double.IsFinite(Longitude)
        && Math.Abs(Latitude) <= 90 && Math.Abs(Longitude) <= 180
        && !(Latitude == 0 && Longitude == 0);
}
