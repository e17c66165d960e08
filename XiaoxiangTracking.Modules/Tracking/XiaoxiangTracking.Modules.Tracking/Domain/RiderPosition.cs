using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Shared.Memory;

namespace XiaoxiangTracking.Modules.Tracking.Domain;

/// <summary>
/// One accepted GPS fix of a rider: the trajectory row. A rider may carry several orders; one fix serves all of them,
/// so positions belong to the rider and orders reach them through the rider's assignment window.
/// </summary>
internal sealed class RiderPosition
{
    private RiderPosition()
    {
    }

    public RiderPosition(PositionFix fix, DateTimeOffset receivedAt)
    {
        RiderId = fix.RiderId;
        ClientPointId = fix.ClientPointId;
        FixTime = fix.FixTime;
        Latitude = fix.Latitude;
        Longitude = fix.Longitude;
        AccuracyMeters = fix.AccuracyMeters;
        SpeedMetersPerSecond = fix.SpeedMetersPerSecond;
        HeadingDegrees = fix.HeadingDegrees;
        Geohash = Shared.Domain.Geohash.Encode(fix.Latitude, fix.Longitude);
        ReceivedAt = receivedAt;
    }

    public long Id { get; private set; }

    public string RiderId { get; private set; } = string.Empty;

    /// <summary>The rider app's own id for the fix (sequence number or point id): retries carry the same one.</summary>
    public string ClientPointId { get; private set; } = string.Empty;

    public DateTimeOffset FixTime { get; private set; }

    public double Latitude { get; private set; }

    public double Longitude { get; private set; }

    public double? AccuracyMeters { get; private set; }

    public double? SpeedMetersPerSecond { get; private set; }

    public double? HeadingDegrees { get; private set; }

    /// <summary>Geohash of the fix at <see cref="Shared.Domain.Geohash.StoredPrecision"/> characters.</summary>
    public string Geohash { get; private set; } = string.Empty;

    public DateTimeOffset ReceivedAt { get; private set; }

    public GeoCoordinate Location => new(Latitude, Longitude);

    public FixPoint Point => new(FixTime, Latitude, Longitude);
}

/// <summary>A fix as the rider app reports it, before filtering.</summary>
internal sealed record PositionFix(
    string RiderId,
    string ClientPointId,
    DateTimeOffset FixTime,
    double Latitude,
    double Longitude,
    double? AccuracyMeters,
    double? SpeedMetersPerSecond,
    double? HeadingDegrees)
{
    /// <summary>The rider: the shared copy of the id (<see cref="Names"/>), which the rider's latest fix is kept under.</summary>
    public string RiderId { get; init; } = Names.Shared(RiderId);

    public FixPoint Point => new(FixTime, Latitude, Longitude);
}

/// <summary>Where a rider was at an instant: all the filters need of the fix before the one they judge.</summary>
internal readonly record struct FixPoint(DateTimeOffset FixTime, double Latitude, double Longitude);
