using System.Data.Common;
using XiaoxiangTracking.Modules.Tracking.Domain;

namespace XiaoxiangTracking.Modules.Tracking.Persistence;

/// <summary>
/// The hot-path insert of one fix, executed per fix on the writer's connection (<c>PositionStore</c>), which
/// keeps it prepared across commits: plain ADO.NET, no change tracking.
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

    private readonly DbCommand _command;
    private readonly bool _sqlite;

    private PositionInsert(DbCommand command, bool sqlite)
    {
        _command = command;
        _sqlite = sqlite;
    }

    public static PositionInsert Prepare(DbConnection connection, bool sqlite)
    {
        var command = connection.CreateCommand();
        command.CommandText = sqlite ? SqliteSql : SqlServerSql;
        foreach (var name in new[] { "@rider", "@point", "@fix", "@lat", "@lng", "@accuracy", "@speed", "@heading", "@geohash", "@received" })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return new PositionInsert(command, sqlite);
    }

    /// <summary>The transaction the next executions belong to.</summary>
    public DbTransaction Transaction
    {
        set => _command.Transaction = value;
    }

    public async Task<bool> ExecuteAsync(RiderPosition position, CancellationToken cancellationToken)
    {
        var p = _command.Parameters;
        p[0].Value = position.RiderId;
        p[1].Value = position.ClientPointId;
        p[2].Value = ProviderTimestamp.Of(position.FixTime, _sqlite);
        p[3].Value = position.Latitude;
        p[4].Value = position.Longitude;
        p[5].Value = (object?)position.AccuracyMeters ?? DBNull.Value;
        p[6].Value = (object?)position.SpeedMetersPerSecond ?? DBNull.Value;
        p[7].Value = (object?)position.HeadingDegrees ?? DBNull.Value;
        p[8].Value = position.Geohash;
        p[9].Value = ProviderTimestamp.Of(position.ReceivedAt, _sqlite);
        return await _command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}

/// <summary>A timestamp as EF stores it for the provider (UTC ticks on SQLite, datetimeoffset on SQL Server), for raw SQL.</summary>
internal static class ProviderTimestamp
{
    public static object Of(DateTimeOffset value, bool sqlite) => sqlite ? value.UtcTicks : value;
}
