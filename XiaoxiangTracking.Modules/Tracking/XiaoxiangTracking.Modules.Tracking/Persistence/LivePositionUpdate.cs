using System.Data.Common;
using XiaoxiangTracking.Modules.Tracking.Domain;

namespace XiaoxiangTracking.Modules.Tracking.Persistence;

/// <summary>
/// The hot-path follow-up of a commit's inserts, once per rider with the newest fix the commit stored for that rider:
/// moves the rider's latest fix forward (never back: an older fix uploaded late changes nothing) and moves the live
/// state of every order the rider is delivering, bumping each one's version, and returns the (order, version) pairs
/// changed so the writer can publish the deltas after commit. Plain ADO.NET, kept prepared across commits on the
/// writer's connection (<see cref="PositionStore"/>).
/// </summary>
internal sealed class LivePositionUpdate : IAsyncDisposable
{
    /// <summary>SQLite: upsert guarded by fix time.</summary>
    public const string SqliteLatestFix =
        "INSERT INTO tracking_rider_latest (rider_id, fix_time, latitude, longitude, accuracy, speed, heading, geohash) " +
        "VALUES (@rider, @fix, @lat, @lng, @accuracy, @speed, @heading, @geohash) " +
        "ON CONFLICT (rider_id) DO UPDATE SET fix_time = excluded.fix_time, latitude = excluded.latitude, " +
        "longitude = excluded.longitude, accuracy = excluded.accuracy, speed = excluded.speed, heading = excluded.heading, " +
        "geohash = excluded.geohash WHERE excluded.fix_time > tracking_rider_latest.fix_time;";

    /// <summary>SQLite: the rider's active orders whose position is older than the fix.</summary>
    public const string SqliteLiveOrders =
        "UPDATE tracking_live_orders SET latitude = @lat, longitude = @lng, fix_time = @fix, speed = @speed, " +
        "heading = @heading, version = version + 1, updated_at = @now " +
        "WHERE rider_id = @rider AND is_active = 1 AND status = 3 AND (fix_time IS NULL OR fix_time < @fix) " +
        "RETURNING order_id, version;";

    /// <summary>SQL Server: update if newer, else insert if the rider has no row yet (range-locked check).</summary>
    public const string SqlServerLatestFix =
        "UPDATE [tracking].[rider_latest] SET [fix_time] = @fix, [latitude] = @lat, [longitude] = @lng, " +
        "[accuracy] = @accuracy, [speed] = @speed, [heading] = @heading, [geohash] = @geohash " +
        "WHERE [rider_id] = @rider AND [fix_time] < @fix; " +
        "IF @@ROWCOUNT = 0 INSERT INTO [tracking].[rider_latest] ([rider_id], [fix_time], [latitude], [longitude], " +
        "[accuracy], [speed], [heading], [geohash]) SELECT @rider, @fix, @lat, @lng, @accuracy, @speed, @heading, @geohash " +
        "WHERE NOT EXISTS (SELECT 1 FROM [tracking].[rider_latest] WITH (UPDLOCK, HOLDLOCK) WHERE [rider_id] = @rider);";

    /// <summary>SQL Server: as on SQLite, with <c>OUTPUT</c> for the new versions.</summary>
    public const string SqlServerLiveOrders =
        "UPDATE [tracking].[live_orders] SET [latitude] = @lat, [longitude] = @lng, [fix_time] = @fix, [speed] = @speed, " +
        "[heading] = @heading, [version] = [version] + 1, [updated_at] = @now " +
        "OUTPUT inserted.[order_id], inserted.[version] " +
        "WHERE [rider_id] = @rider AND [is_active] = 1 AND [status] = 3 AND ([fix_time] IS NULL OR [fix_time] < @fix);";

    private static readonly string[] ParameterNames = ["@rider", "@fix", "@lat", "@lng", "@accuracy", "@speed", "@heading", "@geohash", "@now"];

    private readonly DbCommand _latestFix;
    private readonly DbCommand _liveOrders;
    private readonly bool _sqlite;

    private LivePositionUpdate(DbCommand latestFix, DbCommand liveOrders, bool sqlite)
    {
        _latestFix = latestFix;
        _liveOrders = liveOrders;
        _sqlite = sqlite;
    }

    public static LivePositionUpdate Prepare(DbConnection connection, bool sqlite) =>
        new(Command(connection, sqlite ? SqliteLatestFix : SqlServerLatestFix, 8),
            Command(connection, sqlite ? SqliteLiveOrders : SqlServerLiveOrders, 9),
            sqlite);

    /// <summary>The transaction the next executions belong to.</summary>
    public DbTransaction Transaction
    {
        set
        {
            _latestFix.Transaction = value;
            _liveOrders.Transaction = value;
        }
    }

    /// <summary>Applies the fix; returns the orders whose live position moved, with their new versions.</summary>
    public async Task<IReadOnlyList<(string OrderId, long Version)>> ExecuteAsync(
        RiderPosition position, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Bind(_latestFix, position, now);
        await _latestFix.ExecuteNonQueryAsync(cancellationToken);

        Bind(_liveOrders, position, now);
        var changed = new List<(string, long)>();
        await using var reader = await _liveOrders.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changed.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return changed;
    }

    public async ValueTask DisposeAsync()
    {
        await _latestFix.DisposeAsync();
        await _liveOrders.DisposeAsync();
    }

    private static DbCommand Command(DbConnection connection, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in ParameterNames.Take(parameters))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private void Bind(DbCommand command, RiderPosition position, DateTimeOffset now)
    {
        var p = command.Parameters;
        p[0].Value = position.RiderId;
        p[1].Value = ProviderTimestamp.Of(position.FixTime, _sqlite);
        p[2].Value = position.Latitude;
        p[3].Value = position.Longitude;
        p[4].Value = (object?)position.AccuracyMeters ?? DBNull.Value;
        p[5].Value = (object?)position.SpeedMetersPerSecond ?? DBNull.Value;
        p[6].Value = (object?)position.HeadingDegrees ?? DBNull.Value;
        p[7].Value = position.Geohash;
        if (p.Count > 8)
        {
            p[8].Value = ProviderTimestamp.Of(now, _sqlite);
        }
    }
}
