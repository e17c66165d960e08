using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Ingest;

/// <summary>Why a reported fix was not stored. The names are part of the batch reply.</summary>
internal enum RejectionReason
{
    /// <summary>Latitude/longitude not finite or out of range.</summary>
    InvalidCoordinates,

    /// <summary>Exactly (0, 0): a receiver without a fix.</summary>
    ZeroCoordinates,

    /// <summary>Fix time further ahead of the server clock than allowed.</summary>
    FixTimeInFuture,

    /// <summary>Fix time older than the offline buffer may be.</summary>
    FixTimeTooOld,

    /// <summary>Reported accuracy radius too large (or negative).</summary>
    PoorAccuracy,

    /// <summary>Implied speed from the neighbouring accepted fix is not an e-bike ride.</summary>
    ImplausibleSpeed,
}

/// <summary>
/// The per-fix filters. Pure: given the fix, the rider's accepted fix nearest before it in time (if any) and the clock,
/// it says whether the fix is kept and if not, why. Duplicates are decided by what is stored, not here.
/// </summary>
internal static class PositionFilter
{
    public static RejectionReason? Check(PositionFix fix, FixPoint? previous, DateTimeOffset now, PositionFilterOptions options)
    {
        if (!double.IsFinite(fix.Latitude) || !double.IsFinite(fix.Longitude)
            || Math.Abs(fix.Latitude) > 90 || Math.Abs(fix.Longitude) > 180)
        {
            return RejectionReason.InvalidCoordinates;
        }

        if (fix.Latitude == 0 && fix.Longitude == 0)
        {
            return RejectionReason.ZeroCoordinates;
        }

        if (fix.FixTime > now + options.MaxFutureSkew)
        {
            return RejectionReason.FixTimeInFuture;
        }

        if (fix.FixTime < now - options.MaxAge)
        {
            return RejectionReason.FixTimeTooOld;
        }

        if (fix.AccuracyMeters is { } accuracy && (accuracy < 0 || accuracy > options.MaxAccuracyMeters || !double.IsFinite(accuracy)))
        {
            return RejectionReason.PoorAccuracy;
        }

        if (previous is { } before && before.FixTime < fix.FixTime)
        {
            var meters = GeoDistance.Meters(
                new GeoCoordinate(before.Latitude, before.Longitude), new GeoCoordinate(fix.Latitude, fix.Longitude));
            var seconds = (fix.FixTime - before.FixTime).TotalSeconds;
            if (meters > options.SpeedCheckMinDistanceMeters && meters / seconds > options.MaxSpeedMetersPerSecond)
            {
                return RejectionReason.ImplausibleSpeed;
            }
        }

        return null;
    }
}
