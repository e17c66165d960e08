namespace XiaoxiangTracking.Modules.Tracking.Persistence;

/// <summary>
/// On SQL Server, rider positions — the one table that grows with every report — are partitioned by month of
/// <c>fix_time</c> (partition function <see cref="Function"/>, scheme <see cref="Scheme"/>): a trajectory or retention
/// query touches only its months, and old months can be truncated or switched out whole. Every index is aligned with
/// the scheme, so each carries <c>fix_time</c>: the clustered key is (<c>id</c>, <c>fix_time</c>), and the
/// (<c>rider_id</c>, <c>fix_time</c>) index, unique, is what makes a re-sent fix stored once (the insert checks it under
/// a key-range lock, <see cref="PositionInsert.SqlServerSql"/>). SQLite keeps one table. The EF model does not describe
/// partitions: these statements are applied by the SQL Server migration only, and no later migration may rebuild these
/// indexes without them.
/// </summary>
internal static class SqlServerPartitioning
{
    public const string Function = "pf_tracking_month";

    public const string Scheme = "ps_tracking_month";

    /// <summary>
    /// The monthly boundaries the migration creates, January 2026 to December 2030 (RANGE RIGHT: each month's first
    /// instant, UTC, starts a partition; earlier rows share the first, later ones the last until it is split).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> Boundaries { get; } =
        [.. Enumerable.Range(0, 60).Select(i => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(i))];

    private const string Table = "[tracking].[rider_positions]";

    private static string OnScheme => $"ON [{Scheme}]([fix_time])";

    public static string CreateFunction() =>
        $"CREATE PARTITION FUNCTION [{Function}] (datetimeoffset(7)) AS RANGE RIGHT FOR VALUES ("
        + string.Join(", ", Boundaries.Select(Literal)) + ");";

    public static string CreateScheme() => $"CREATE PARTITION SCHEME [{Scheme}] AS PARTITION [{Function}] ALL TO ([PRIMARY]);";

    /// <summary>Rebuilds the table and its indexes on the scheme (the spatial index follows the table's partitioning).</summary>
    public static string PartitionPositions() => string.Join('\n',
        DropIndexes(),
        $"ALTER TABLE {Table} DROP CONSTRAINT [PK_rider_positions];",
        $"ALTER TABLE {Table} ADD CONSTRAINT [PK_rider_positions] PRIMARY KEY CLUSTERED ([id], [fix_time]) {OnScheme};",
        $"CREATE UNIQUE INDEX [IX_rider_positions_rider_id_fix_time] ON {Table} ([rider_id], [fix_time]) {OnScheme};",
        CreatePointIdIndex(),
        CreateGeohashIndex(),
        SqlServerSpatial.CreateLocationIndex(SqlServerSpatial.Positions));

    /// <summary>
    /// The (rider_id, client_point_id, fix_time) index of positions, aligned with the scheme: created by the partitioning
    /// migration, dropped by a later one (a fix is identified by rider and fix time, and every report wrote it), restored
    /// by that one's Down.
    /// </summary>
    public static string CreatePointIdIndex() =>
        $"CREATE UNIQUE INDEX [IX_rider_positions_rider_id_client_point_id] ON {Table} ([rider_id], [client_point_id], [fix_time]) {OnScheme};";

    /// <summary>
    /// The (geohash, fix_time) index of positions, aligned with the scheme: created by the partitioning migration,
    /// dropped by the next one (no query used it, and every report wrote it), restored by that one's Down.
    /// </summary>
    public static string CreateGeohashIndex() =>
        $"CREATE INDEX [IX_rider_positions_geohash_fix_time] ON {Table} ([geohash], [fix_time]) {OnScheme};";

    /// <summary>The table back on one filegroup, with the indexes it had before.</summary>
    public static string UnpartitionPositions() => string.Join('\n',
        DropIndexes(),
        $"ALTER TABLE {Table} DROP CONSTRAINT [PK_rider_positions];",
        $"ALTER TABLE {Table} ADD CONSTRAINT [PK_rider_positions] PRIMARY KEY CLUSTERED ([id]) ON [PRIMARY];",
        $"CREATE UNIQUE INDEX [IX_rider_positions_rider_id_fix_time] ON {Table} ([rider_id], [fix_time]);",
        $"CREATE UNIQUE INDEX [IX_rider_positions_rider_id_client_point_id] ON {Table} ([rider_id], [client_point_id]);",
        $"CREATE INDEX [IX_rider_positions_geohash_fix_time] ON {Table} ([geohash], [fix_time]);",
        SqlServerSpatial.CreateLocationIndex(SqlServerSpatial.Positions));

    public static string DropScheme() => $"DROP PARTITION SCHEME [{Scheme}];";

    public static string DropFunction() => $"DROP PARTITION FUNCTION [{Function}];";

    /// <summary>
    /// Adds the month starting at <paramref name="month"/> as a partition of its own (run before the last boundary is
    /// reached; docs/operations.md, Retention and partitioning).
    /// </summary>
    public static string SplitMonth(DateTimeOffset month) =>
        $"ALTER PARTITION SCHEME [{Scheme}] NEXT USED [PRIMARY];\n"
        + $"ALTER PARTITION FUNCTION [{Function}]() SPLIT RANGE ({Literal(month)});";

    private static string DropIndexes() => string.Join('\n',
        SqlServerSpatial.DropLocationIndex(SqlServerSpatial.Positions),
        $"DROP INDEX [IX_rider_positions_geohash_fix_time] ON {Table};",
        $"DROP INDEX [IX_rider_positions_rider_id_client_point_id] ON {Table};",
        $"DROP INDEX [IX_rider_positions_rider_id_fix_time] ON {Table};");

    private static string Literal(DateTimeOffset instant) => $"'{instant.UtcDateTime:yyyy-MM-ddTHH:mm:ss}+00:00'";
}
