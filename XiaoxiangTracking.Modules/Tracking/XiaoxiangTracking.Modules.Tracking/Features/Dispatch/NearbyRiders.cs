using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Features.Dispatch;

/// <summary>A rider whose latest fix is recent and close to a point.</summary>
internal sealed record NearbyRider(string RiderId, double Latitude, double Longitude, DateTimeOffset FixTime)
{
    public GeoCoordinate Location => new(Latitude, Longitude);
}

/// <summary>
/// "Which riders reported recently within this distance?" through each provider's spatial index: on SQL Server the
/// persisted <c>geography</c> column and its spatial index (<c>STDistance</c>); on SQLite the geohash column, scanned as
/// one index range per covering cell and then measured exactly in process.
/// </summary>
internal sealed class NearbyRiders(TrackingDbContext db)
{
    /// <summary>The named SQL Server query: latest fixes since <c>@since</c> within <c>@radius</c> metres of the point.</summary>
    public const string SqlServerSql =
        "SELECT [rider_id] AS [RiderId], [latitude] AS [Latitude], [longitude] AS [Longitude], [fix_time] AS [FixTime] " +
        "FROM [tracking].[rider_latest] " +
        "WHERE [fix_time] >= @since AND [location].STDistance(geography::Point(@latitude, @longitude, 4326)) <= @radius";

    public async Task<IReadOnlyList<NearbyRider>> FindAsync(
        GeoCoordinate point, DateTimeOffset since, double radiusMeters, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return await db.Database.SqlQueryRaw<NearbyRider>(SqlServerSql,
                    new SqlParameter("@since", since),
                    new SqlParameter("@latitude", point.Latitude),
                    new SqlParameter("@longitude", point.Longitude),
                    new SqlParameter("@radius", radiusMeters))
                .ToListAsync(cancellationToken);
        }

        var found = new List<NearbyRider>();
        foreach (var cell in Geohash.CoveringCells(point, radiusMeters))
        {
            // A prefix as an index range: [cell, cell + "~"), '~' sorting after every geohash character.
            var end = cell + "~";
            found.AddRange(await db.RiderFixes.AsNoTracking()
                .Where(f => string.Compare(f.Geohash, cell) >= 0 && string.Compare(f.Geohash, end) < 0 && f.FixTime >= since)
                .Select(f => new NearbyRider(f.RiderId, f.Latitude, f.Longitude, f.FixTime))
                .ToListAsync(cancellationToken));
        }

        return [.. found.Where(r => GeoDistance.Meters(point, r.Location) <= radiusMeters)];
    }
}
