using System.Data.Common;
using XiaoxiangTracking.Modules.Tracking.Domain;

namespace XiaoxiangTracking.Modules.Tracking.Persistence;

/// <summary>
/// The hot-path insert of one fix, executed per fix on the writer's connection (<c>PositionStore</c>), which
/// keeps it prepared across commits (<see cref="HotStatement"/>), no change tracking.
/// A fix already stored (same rider and fix time: a retry, or a re-sent buffer) inserts nothing and reports false.
/// </summary>
internal sealed class PositionInsert : IAsyncDisposable
{
    /// <summary>SQLite: the unique (rider, fix time) index decides; <c>DO NOTHING</c> leaves 0 changed rows for a duplicate.</summary>
    public const string SqliteSql =
        "INSERT INTO tracking_rider_positions (rider_id, client_point_id, fix_time, latitude, longitude, accuracy_meters, " +
        "speed_meters_per_second, heading_degrees, geohash, received_at) " +
        "VALUES (@rider, @point, @fix, @lat, @lng, @accuracy, @speed, @heading, @geohash, @received) ON CONFLICT DO NOTHING;";

    /// <summary>SQL Server: insert unless the rider already has a fix at this instant (range-locked check).</summary>
    public const string SqlServerSql =
        "INSERT INTO [tracking].[rider_positions] ([rider_id], [client_point_id], [fix_time], [latitude], [longitude], " +
        "[accuracy_meters], [speed_meters_per_second], [heading_degrees], [geohash], [received_at]) " +
        "SELECT @rider, @point, @fix, @lat, @lng, @accuracy, @speed, @heading, @geohash, @received " +
        "WHERE NOT EXISTS (SELECT 1 FROM [tracking].[rider_positions] WITH (UPDLOCK, HOLDLOCK) " +
        "WHERE [rider_id] = @rider AND [fix_time] = @fix);";

    private static readonly string[] Parameters = ["@rider", "@point", "@fix", "@lat", "@lng", "@accuracy", "@speed", "@heading", "@geohash", "@received"];

    private readonly HotStatement _statement;

    private PositionInsert(HotStatement statement) => _statement = statement;

    public static PositionInsert Prepare(DbConnection connection, bool sqlite) =>
        new(HotStatement.Prepare(connection, sqlite ? SqliteSql : SqlServerSql, Parameters));

    /// <summary>The transaction the next executions belong to.</summary>
    public DbTransaction Transaction
    {
        set => _statement.Transaction = value;
    }

    public async ValueTask<bool> ExecuteAsync(RiderPosition position, CancellationToken cancellationToken)
    {
        _statement.Set(0, position.RiderId);
        _statement.Set(1, position.ClientPointId);
        _statement.Set(2, position.FixTime);
        _statement.Set(3, position.Latitude);
        _statement.Set(4, position.Longitude);
        _statement.Set(5, position.AccuracyMeters);
        _statement.Set(6, position.SpeedMetersPerSecond);
        _statement.Set(7, position.HeadingDegrees);
        _statement.Set(8, position.Geohash);
        _statement.Set(9, position.ReceivedAt);
        return await _statement.ExecuteAsync(cancellationToken) == 1;
    }

    public ValueTask DisposeAsync() => _statement.DisposeAsync();
}
