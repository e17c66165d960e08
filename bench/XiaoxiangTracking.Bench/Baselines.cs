using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace XiaoxiangTracking.Bench;

/// <summary>The same report as the rider app sends it.</summary>
internal sealed record PositionReport(
    string RiderId, string PointId, DateTimeOffset FixTime, double Latitude, double Longitude, double? Accuracy, double? Speed, double? Heading);

/// <summary>The ceilings the host is compared with, measured in the same run on the same machine.</summary>
internal static class Baselines
{
    /// <summary>
    /// A bare minimal API on Kestrel that reads the same JSON and answers 202: what HTTP on this machine allows at
    /// most, with no validation, storage or fan-out.
    /// </summary>
    public static async Task<WebApplication> StartBareEndpointAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/api/tracking/positions", (PositionReport report) => Results.Accepted());
        await app.StartAsync();
        return app;
    }

    /// <summary>
    /// Raw batched inserts of the same rows into the same table and indexes as the host's SQLite schema (WAL,
    /// synchronous FULL, as the host runs it), <paramref name="batch"/> rows per transaction: the storage ceiling.
    /// </summary>
    /// <param name="rows">Rows to insert.</param>
    /// <param name="batch">Rows per transaction.</param>
    /// <param name="riders">Riders the rows belong to.</param>
    /// <param name="run">Consecutive rows of one rider: 1 as single reports from many riders interleave in a host commit,
    /// 100 as batches of 100 do.</param>
    public static async Task<double> RawSqliteRowsPerSecondAsync(int rows, int batch, int riders, int run)
    {
        var folder = Path.Combine(Path.GetTempPath(), "xiaoxiang-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "raw.db")};Pooling=False");
            await connection.OpenAsync();
            await Execute(connection, """
                PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
                CREATE TABLE rider_positions (
                    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, rider_id TEXT NOT NULL, client_point_id TEXT NOT NULL,
                    fix_time INTEGER NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL, accuracy_meters REAL NULL,
                    speed_meters_per_second REAL NULL, heading_degrees REAL NULL, geohash TEXT NOT NULL, received_at INTEGER NOT NULL);
                CREATE UNIQUE INDEX ix_fix ON rider_positions (rider_id, fix_time);
                """);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO rider_positions (rider_id, client_point_id, fix_time, latitude, longitude, accuracy_meters,
                    speed_meters_per_second, heading_degrees, geohash, received_at)
                VALUES ($r, $p, $f, $lat, $lng, 8, 4.5, 90, $g, $now)
                """;
            var parameters = new[] { "$r", "$p", "$f", "$lat", "$lng", "$g", "$now" }.Select(name => insert.Parameters.Add(name, SqliteType.Text)).ToArray();
            await insert.PrepareAsync();
            var start = DateTimeOffset.UtcNow.UtcTicks;
            var clock = Stopwatch.StartNew();
            for (var done = 0; done < rows; done += batch)
            {
                await using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                for (var i = done; i < Math.Min(rows, done + batch); i++)
                {
                    var rider = (i / run) % riders;
                    parameters[0].Value = $"bench-rider-{rider:D5}";
                    parameters[1].Value = $"p-{i}";
                    parameters[2].Value = start + (i * TimeSpan.TicksPerMillisecond);
                    parameters[3].Value = 31.2 + (rider * 1e-4);
                    parameters[4].Value = 121.5 + (i * 1e-7);
                    parameters[5].Value = $"wtw3sjq{rider % 100:D2}";
                    parameters[6].Value = DateTimeOffset.UtcNow.UtcTicks;
                    await insert.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
            }

            return rows / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
