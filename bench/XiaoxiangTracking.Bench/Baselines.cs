using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace XiaoxiangTracking.Bench;

/// <summary>The same report as the rider app sends it.</summary>
internal sealed record PositionReport(
    string RiderId, string PointId, DateTimeOffset FixTime, double Latitude, double Longitude, double? Accuracy, double? Speed, double? Heading);

/// <summary>
/// A minimal API in the bench process on a free loopback port, taking the rider app's report at the host's path:
/// stopped and let go when disposed.
/// </summary>
internal sealed class InProcessEndpoint(WebApplication app, int port, Func<Task>? stopped) : IAsyncDisposable
{
    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{port}");

    public static async Task<InProcessEndpoint> StartAsync(Delegate handler, Func<Task>? stopped = null)
    {
        var port = HostProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/api/tracking/positions", handler);
        await app.StartAsync();
        return new InProcessEndpoint(app, port, stopped);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        if (stopped is not null)
        {
            await stopped();
        }
    }
}

/// <summary>The ceilings the host is compared with, measured in the same run on the same machine.</summary>
internal static class Baselines
{
    /// <summary>
    /// A bare minimal API on Kestrel that reads the same JSON and answers 202: what HTTP on this machine allows at
    /// most, with no validation, storage or fan-out.
    /// </summary>
    public static Task<InProcessEndpoint> StartBareEndpointAsync() =>
        InProcessEndpoint.StartAsync((PositionReport report) => Results.Accepted());

    /// <summary>
    /// The least a durable pipeline does, in this process like the bare endpoint: read the same JSON, queue the row
    /// to one writer that inserts whatever has gathered in one transaction into the same table (<see cref="RawStore"/>),
    /// and answer 202 once the commit is on disk — no token, validation, live state or fan-out. What "committed
    /// before the reply" alone costs against the bare endpoint on this machine.
    /// </summary>
    public static async Task<InProcessEndpoint> StartDurableFloorAsync()
    {
        var folder = HostData.NewFolder();
        var store = await RawStore.CreateAsync(folder);
        var queue = Channel.CreateUnbounded<(PositionReport Report, TaskCompletionSource Done)>(new UnboundedChannelOptions { SingleReader = true });
        var writer = Task.Run(async () =>
        {
            await using var _ = store;
            var group = new List<(PositionReport Report, TaskCompletionSource Done)>();
            while (await queue.Reader.WaitToReadAsync())
            {
                while (group.Count < 1_000 && queue.Reader.TryRead(out var item))
                {
                    group.Add(item);
                }

                Exception? failed = null;
                try
                {
                    using var transaction = store.Begin();
                    foreach (var (report, _) in group)
                    {
                        store.Insert(report.RiderId, report.PointId, report.FixTime.UtcTicks, report.Latitude, report.Longitude);
                    }

                    transaction.Commit();
                }
                catch (SqliteException ex)
                {
                    failed = ex;
                }

                foreach (var (_, done) in group)
                {
                    if (failed is null)
                    {
                        done.SetResult();
                    }
                    else
                    {
                        done.SetException(failed);
                    }
                }

                group.Clear();
            }
        });

        return await InProcessEndpoint.StartAsync(
            async (PositionReport report) =>
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                queue.Writer.TryWrite((report, done));
                await done.Task;
                return Results.Accepted();
            },
            stopped: async () =>
            {
                queue.Writer.TryComplete();
                await writer;
                Directory.Delete(folder, recursive: true);
            });
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
        var folder = HostData.NewFolder();
        try
        {
            await using var store = await RawStore.CreateAsync(folder);
            var start = DateTimeOffset.UtcNow.UtcTicks;
            var clock = Stopwatch.StartNew();
            for (var done = 0; done < rows; done += batch)
            {
                using var transaction = store.Begin();
                for (var i = done; i < Math.Min(rows, done + batch); i++)
                {
                    var rider = (i / run) % riders;
                    store.Insert($"bench-rider-{rider:D5}", $"p-{i}", start + (i * TimeSpan.TicksPerMillisecond), 31.2 + (rider * 1e-4), 121.5 + (i * 1e-7));
                }

                transaction.Commit();
            }

            return rows / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A SQLite file with the host's positions table and its (rider, fix time) index, WAL and synchronous FULL as the
    /// host runs it, and one prepared insert.
    /// </summary>
    private sealed class RawStore : IAsyncDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter[] _parameters;

        private RawStore(SqliteConnection connection, SqliteCommand insert)
        {
            _connection = connection;
            _insert = insert;
            _parameters = new[] { "$r", "$p", "$f", "$lat", "$lng", "$g", "$now" }.Select(name => insert.Parameters.Add(name, SqliteType.Text)).ToArray();
            insert.Prepare();
        }

        public static async Task<RawStore> CreateAsync(string folder)
        {
            Directory.CreateDirectory(folder);
            var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "raw.db")};Pooling=False");
            await connection.OpenAsync();
            await using (var schema = connection.CreateCommand())
            {
                schema.CommandText = """
                    PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
                    CREATE TABLE rider_positions (
                        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, rider_id TEXT NOT NULL, client_point_id TEXT NOT NULL,
                        fix_time INTEGER NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL, accuracy_meters REAL NULL,
                        speed_meters_per_second REAL NULL, heading_degrees REAL NULL, geohash TEXT NOT NULL, received_at INTEGER NOT NULL);
                    CREATE UNIQUE INDEX ix_fix ON rider_positions (rider_id, fix_time);
                    """;
                await schema.ExecuteNonQueryAsync();
            }

            var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO rider_positions (rider_id, client_point_id, fix_time, latitude, longitude, accuracy_meters,
                    speed_meters_per_second, heading_degrees, geohash, received_at)
                VALUES ($r, $p, $f, $lat, $lng, 8, 4.5, 90, $g, $now)
                """;
            return new RawStore(connection, insert);
        }

        public SqliteTransaction Begin() => (SqliteTransaction)(_insert.Transaction = _connection.BeginTransaction());

        public void Insert(string riderId, string pointId, long fixTicks, double latitude, double longitude)
        {
            _parameters[0].Value = riderId;
            _parameters[1].Value = pointId;
            _parameters[2].Value = fixTicks;
            _parameters[3].Value = latitude;
            _parameters[4].Value = longitude;
            // A geohash of the length the host stores, one cell a rider, as near riders share theirs.
            _parameters[5].Value = $"wtw3sjq{(uint)riderId.GetHashCode() % 100:D2}";
            _parameters[6].Value = DateTimeOffset.UtcNow.UtcTicks;
            _insert.ExecuteNonQuery();
        }

        public async ValueTask DisposeAsync()
        {
            await _insert.DisposeAsync();
            await _connection.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }
}
