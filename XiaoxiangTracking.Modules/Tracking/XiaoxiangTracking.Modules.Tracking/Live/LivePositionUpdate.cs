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
/// with a failed commit). Kept prepared across commits on the writer's connection (<see cref="HotStatement"/>).
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

    private static readonly string[] LatestFixParameters = ["@rider", "@fix", "@lat", "@lng", "@accuracy", "@speed", "@heading", "@geohash"];
    private static readonly string[] LiveOrdersParameters = ["@rider", "@fix", "@lat", "@lng", "@speed", "@heading", "@now"];

    private readonly HotStatement _latestFix;
    private readonly HotStatement _liveOrders;
    private readonly LiveMoves _moves;
    private List<OrderTrackingChanged> _moved = [];

    private LivePositionUpdate(HotStatement latestFix, HotStatement liveOrders, LiveMoves moves)
    {
        _latestFix = latestFix;
        _liveOrders = liveOrders;
        _moves = moves;
    }

    /// <summary>Prepares the statements on the writer's connection.</summary>
    public static LivePositionUpdate Prepare(DbConnection connection, bool sqlite, LiveMoves moves) =>
        new(HotStatement.Prepare(connection, sqlite ? SqliteLatestFix : SqlServerLatestFix, LatestFixParameters),
            HotStatement.Prepare(connection, sqlite ? SqliteLiveOrders : SqlServerLiveOrders, LiveOrdersParameters),
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
        _latestFix.Set(0, position.RiderId);
        _latestFix.Set(1, position.FixTime);
        _latestFix.Set(2, position.Latitude);
        _latestFix.Set(3, position.Longitude);
        _latestFix.Set(4, position.AccuracyMeters);
        _latestFix.Set(5, position.SpeedMetersPerSecond);
        _latestFix.Set(6, position.HeadingDegrees);
        _latestFix.Set(7, position.Geohash);
        await _latestFix.ExecuteAsync(cancellationToken);

        _liveOrders.Set(0, position.RiderId);
        _liveOrders.Set(1, position.FixTime);
        _liveOrders.Set(2, position.Latitude);
        _liveOrders.Set(3, position.Longitude);
        _liveOrders.Set(4, position.SpeedMetersPerSecond);
        _liveOrders.Set(5, position.HeadingDegrees);
        _liveOrders.Set(6, now);
        LivePosition? moved = null;
        await _liveOrders.ReadAsync((orderId, version) =>
        {
            moved ??= new LivePosition(position.Latitude, position.Longitude, position.FixTime, position.SpeedMetersPerSecond, position.HeadingDegrees);
            _moved.Add(new OrderTrackingChanged(orderId, version, null, null, moved, null, now, ReportedAt: position.ReceivedAt));
        }, cancellationToken);
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
}
