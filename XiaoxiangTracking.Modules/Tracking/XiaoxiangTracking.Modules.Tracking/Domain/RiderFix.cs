using XiaoxiangTracking.Modules.Shared.Domain;

namespace XiaoxiangTracking.Modules.Tracking.Domain;

/// <summary>
/// A rider's latest fix (greatest fix time): one row per rider, moved forward by the position writer and never back.
/// It is what dispatch searches ("who is near the warehouse, recently") and where a new assignment starts the map.
/// </summary>
internal sealed class RiderFix
{
    private RiderFix()
    {
    }

    public string RiderId { get; private set; } = string.Empty;

    public DateTimeOffset FixTime { get; private set; }

    public double Latitude { get; private set; }

    public double Longitude { get; private set; }

    public double? Accuracy { get; private set; }

    public double? Speed { get; private set; }

    public double? Heading { get; private set; }

    /// <summary>Geohash at <see cref="Shared.Domain.Geohash.StoredPrecision"/>: the SQLite spatial lookup.</summary>
    public string Geohash { get; private set; } = string.Empty;

    public GeoCoordinate Location => new(Latitude, Longitude);
}
