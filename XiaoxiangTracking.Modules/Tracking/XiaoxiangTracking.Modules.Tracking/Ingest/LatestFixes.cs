using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Shared.Memory;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Ingest;

/// <summary>
/// The latest stored fix of each rider who reported in the last hour: what a new report is filtered against without a
/// database read on the hot path. Filled at start from the riders' latest fixes (so the fleet's first reports after a
/// restart need no read each), then by every commit. A rider missing here (silent for an hour, new, or sending fixes
/// older than their latest) is read from the database. With several instances a rider's newest fix may have been
/// committed by another one; the filter then judges speed against an earlier fix of the same rider, over the longer
/// interval.
/// </summary>
internal sealed class LatestFixes
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, FixPoint> _fixes = new(StringComparer.Ordinal);

    /// <summary>Riders held.</summary>
    public int Count => _fixes.Count;

    /// <summary>The rider's fix nearest before <paramref name="before"/>, if it is the latest one held.</summary>
    public bool TryGetBefore(string riderId, DateTimeOffset before, out FixPoint fix) =>
        _fixes.TryGetValue(riderId, out fix) && fix.FixTime < before;

    /// <summary>
    /// <paramref name="fix"/> is stored and is the newest of its rider that its commit (or the load) knows: kept unless
    /// a newer one is held already.
    /// </summary>
    public void Committed(string riderId, FixPoint fix) =>
        _fixes.AddOrUpdate(riderId, static (_, fix) => fix, static (_, held, fix) => held.FixTime >= fix.FixTime ? held : fix, fix);

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

    /// <summary>
    /// Takes in the latest fix of every rider who reported within the hour before <paramref name="now"/>, as stored:
    /// what the filters would otherwise read for each rider's first report. A commit running meanwhile wins where it is
    /// newer.
    /// </summary>
    public async Task LoadAsync(TrackingDbContext database, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - KeepFor;
        var latest = database.RiderFixes.AsNoTracking()
            .Where(f => f.FixTime >= since)
            .Select(f => new { f.RiderId, f.FixTime, f.Latitude, f.Longitude })
            .AsAsyncEnumerable();
        await foreach (var fix in latest.WithCancellation(cancellationToken))
        {
            Committed(Names.Shared(fix.RiderId), new FixPoint(fix.FixTime, fix.Latitude, fix.Longitude));
        }
    }
}
