using System.Data.Common;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Live;

/// <summary>
/// The move: the hot-path follow-up of a commit's inserts, once per rider with the newest fix the commit stored for
/// that rider. Moves the rider's latest fix forward (never back: an older fix uploaded late changes nothing) and the
/// live state of every order the rider is delivering, one version each, in the writer's transaction; the deltas are
/// held until the writer says the transaction committed, then handed to <see cref="LiveMoves"/> to publish (or dropped
/// with a failed commit). Plain ADO.NET, kept prepared across commits on the writer's connection.
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
    private readonly LiveMoves _moves;
    private List<OrderTrackingChanged> _moved = [];

    private LivePositionUpdate(DbCommand latestFix, DbCommand liveOrders, bool sqlite, LiveMoves moves)
    {
        _latestFix = latestFix;
        _liveOrders = liveOrders;
        _sqlite = sqlite;
        _moves = moves;
    }

    /// <summary>Prepares the statements on the writer's connection.</summary>
    public static LivePositionUpdate Prepare(DbConnection connection, bool sqlite, LiveMoves moves) =>
        new(Command(connection, sqlite ? SqliteLatestFix : SqlServerLatestFix, 8),
            Command(connection, sqlite ? SqliteLiveOrders : SqlServerLiveOrders, 9),
            sqlite,
            moves);

    /// <summary>The transaction the next executions belong to.</summary>
    public DbTransaction Transaction
    {
        set
        {
            _latestFix.Transaction = value;
            _liveOrders.Transaction = value;
        }
    }

    /// <summary>Moves the rider to the fix, within the writer's transaction.</summary>
    public async Task MoveAsync(RiderPosition position, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Bind(_latestFix, position, now);
        await _latestFix.ExecuteNonQueryAsync(cancellationToken);

        Bind(_liveOrders, position, now);
        LivePosition? moved = null;
        await using var reader = await _liveOrders.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            moved ??= new LivePosition(position.Latitude, position.Longitude, position.FixTime, position.SpeedMetersPerSecond, position.HeadingDegrees);
            _moved.Add(new OrderTrackingChanged(reader.GetString(0), reader.GetInt64(1), null, null, moved, null, now, ReportedAt: position.ReceivedAt));
        }
    }

    /// <summary>The transaction committed: its moves go out (in commit order).</summary>
    public async ValueTask CommittedAsync()
    {
        if (_moved.Count > 0)
        {
            var moved = _moved;
            _moved = [];
            await _moves.PublishAsync(moved);
        }
    }

    /// <summary>The transaction failed: none of its moves happened.</summary>
    public void RolledBack() => _moved.Clear();

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
