using System.Collections.Concurrent;
using XiaoxiangTracking.Modules.Tracking.Domain;

namespace XiaoxiangTracking.Modules.Tracking.Ingest;

/// <summary>
/// The latest fix this instance committed for each rider who reported in the last hour: what a new report is filtered
/// against without a database read on the hot path. A rider missing here (after a start, after an hour's silence, or
/// sending fixes older than their latest) is read from the database. With several instances a rider's newest fix may
/// have been committed by another one; the filter then judges speed against an earlier fix of the same rider, over the
/// longer interval.
/// </summary>
internal sealed class LatestFixes
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, PositionFix> _fixes = new(StringComparer.Ordinal);

    /// <summary>The rider's fix nearest before <paramref name="before"/>, if it is the latest one held.</summary>
    public bool TryGetBefore(string riderId, DateTimeOffset before, out PositionFix fix) =>
        _fixes.TryGetValue(riderId, out fix!) && fix.FixTime < before;

    /// <summary>After a commit: <paramref name="fix"/> is the newest of its rider in that commit.</summary>
    public void Committed(PositionFix fix) =>
        _fixes.AddOrUpdate(fix.RiderId, fix, (_, held) => held.FixTime >= fix.FixTime ? held : fix);

    /// <summary>Forgets riders whose latest fix is more than an hour older than <paramref name="now"/>.</summary>
    public void Prune(DateTimeOffset now)
    {
        foreach (var (riderId, fix) in _fixes)
        {
            if (fix.FixTime < now - KeepFor)
            {
                _fixes.TryRemove(KeyValuePair.Create(riderId, fix));
            }
        }
    }
}
