using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Shared.Outbox;
using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Persistence;

/// <summary>
/// The Tracking module's tables: schema <c>tracking</c> on SQL Server, prefix <c>tracking_</c> on SQLite. On SQL Server
/// the positions also carry a persisted <c>geography</c> column with a spatial index, added by the SQL Server
/// migration (<see cref="SqlServerSpatial"/>); on SQLite the geohash column serves location lookups.
/// </summary>
internal abstract class TrackingDbContext(DbContextOptions options) : DbContext(options)
{
    public const string Schema = "tracking";

    private static readonly JsonSerializerOptions FactsJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public DbSet<RiderPosition> RiderPositions => Set<RiderPosition>();

    public DbSet<OrderTrackingEntry> OrderTracking => Set<OrderTrackingEntry>();

    public DbSet<LiveOrder> LiveOrders => Set<LiveOrder>();

    public DbSet<RiderFix> RiderFixes => Set<RiderFix>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<DeliverySpeed> DeliverySpeeds => Set<DeliverySpeed>();

    public DbSet<RejectedFixes> RejectedFixes => Set<RejectedFixes>();

    protected abstract string TablePrefix { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var protection = ColumnProtection.Of(this);
        modelBuilder.Entity<RiderPosition>(position =>
        {
            position.ToTable($"{TablePrefix}rider_positions");
            position.HasKey(p => p.Id);
            position.Property(p => p.RiderId).HasMaxLength(32).IsRequired();
            position.Property(p => p.ClientPointId).HasMaxLength(64).IsRequired();
            position.Property(p => p.Geohash).HasMaxLength(12).IsUnicode(false).IsRequired();
            position.Ignore(p => p.Location);
            // Trajectory of a rider in time order, and the fix's identity: one fix per rider per instant, so a retried
            // or re-sent fix is stored once. The only index: every report writes each index of this table (a second,
            // on the point id, cost a third of the writer's commit time), and "who is near here" is answered from the
            // riders' latest fixes (rider_latest), not from history.
            position.HasIndex(p => new { p.RiderId, p.FixTime }).IsUnique();
        });

        modelBuilder.Entity<OrderTrackingEntry>(entry =>
        {
            entry.ToTable($"{TablePrefix}order_tracking");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Id).HasMaxLength(32).IsFixedLength().IsUnicode(false);
            entry.Property(e => e.OrderId).HasMaxLength(32).IsFixedLength().IsUnicode(false).IsRequired();
            entry.Property(e => e.Address).HasMaxLength(255);
            entry.Property(e => e.OperatorId).HasMaxLength(32);
            entry.Property(e => e.OperatorType).HasConversion<byte>();
            entry.Property(e => e.EventType).HasMaxLength(40).IsUnicode(false).IsRequired();
            // At-least-once delivery of order notifications still records each order change once.
            entry.HasIndex(e => new { e.OrderId, e.OrderVersion }).IsUnique().HasFilter("order_version IS NOT NULL");
            // Each warehouse stage is recorded once per order, however often it is reported.
            entry.HasIndex(e => new { e.OrderId, e.EventType }).IsUnique()
                .HasFilter("operator_type = 2 AND order_version IS NULL");
            entry.Ignore(e => e.PendingNotifications);
            // An order's timeline in time order.
            entry.HasIndex(e => new { e.OrderId, e.CreatedAt });
        });

        modelBuilder.Entity<LiveOrder>(live =>
        {
            live.ToTable($"{TablePrefix}live_orders");
            live.HasKey(l => l.OrderId);
            live.Property(l => l.OrderId).HasMaxLength(32).IsFixedLength().IsUnicode(false);
            live.Property(l => l.Status).HasConversion<byte>();
            live.Property(l => l.CustomerId).HasMaxLength(32).IsRequired();
            live.Property(l => l.WarehouseId).HasMaxLength(32).IsRequired();
            // The customer's address, for the rider: stored encrypted.
            live.Property(l => l.DeliveryAddress).IsRequired().IsProtected(protection, 255);
            live.Property(l => l.RiderId).HasMaxLength(32);
            live.Property(l => l.OpenAlerts).HasMaxLength(40).IsUnicode(false).IsRequired();
            live.Ignore(l => l.Alerts);
            live.ComplexProperty(l => l.WarehouseLocation, location =>
            {
                location.Property(c => c.Latitude).HasColumnName("warehouse_latitude");
                location.Property(c => c.Longitude).HasColumnName("warehouse_longitude");
            });
            live.ComplexProperty(l => l.DeliveryLocation, location =>
            {
                location.Property(c => c.Latitude).HasColumnName("delivery_latitude");
                location.Property(c => c.Longitude).HasColumnName("delivery_longitude");
            });
            // Moves bump it in SQL (Live/LivePositionUpdate); changes through the aggregate (Live/LiveOrderStore) check it.
            live.Property(l => l.Version).IsConcurrencyToken();
            live.Ignore(l => l.Position);
            live.Ignore(l => l.Eta);
            live.Property(l => l.EtaConfidence).HasMaxLength(10).IsUnicode(false);
            live.Ignore(l => l.PendingNotifications);
            // A rider's active orders: the position writer's update, dispatch's load count.
            live.HasIndex(l => new { l.RiderId, l.IsActive });
            // Orders waiting for a rider, due first.
            live.HasIndex(l => new { l.AwaitingRider, l.NextDispatchAt });
            // Start-up rebuild of the active set; a warehouse's active orders (the ops map).
            live.HasIndex(l => new { l.IsActive, l.WarehouseId });
        });

        modelBuilder.Entity<RiderFix>(fix =>
        {
            fix.ToTable($"{TablePrefix}rider_latest");
            fix.HasKey(f => f.RiderId);
            fix.Property(f => f.RiderId).HasMaxLength(32);
            fix.Property(f => f.Geohash).HasMaxLength(12).IsUnicode(false).IsRequired();
            fix.Ignore(f => f.Location);
            // Dispatch on SQLite: riders in a few geohash cells, recently.
            fix.HasIndex(f => new { f.Geohash, f.FixTime });
        });

        modelBuilder.Entity<Alert>(alert =>
        {
            alert.ToTable($"{TablePrefix}alerts");
            alert.HasKey(a => a.Id);
            alert.Property(a => a.Id).HasMaxLength(32).IsFixedLength().IsUnicode(false);
            alert.Property(a => a.OrderId).HasMaxLength(32).IsFixedLength().IsUnicode(false).IsRequired();
            alert.Property(a => a.Type).HasConversion<byte>();
            alert.Property(a => a.Status).HasConversion<byte>();
            alert.Property(a => a.RiderId).HasMaxLength(32);
            alert.Property(a => a.Detail).HasMaxLength(500).IsRequired();
            // The facts as JSON: read back whole with the alert, never queried by their fields.
            alert.Property(a => a.Facts).HasMaxLength(400).IsUnicode(false).HasConversion(
                facts => JsonSerializer.Serialize(facts, FactsJson),
                json => JsonSerializer.Deserialize<AlertFacts>(json, FactsJson));
            alert.Property(a => a.AcknowledgedBy).HasMaxLength(32);
            alert.Property(a => a.ResolvedBy).HasMaxLength(32);
            alert.Ignore(a => a.PendingNotifications);
            // One unresolved alert per order and type, however often or concurrently the rules run.
            alert.HasIndex(a => new { a.OrderId, a.Type }).IsUnique().HasFilter("status <> 3");
            // The ops list: unresolved first, newest first.
            alert.HasIndex(a => new { a.Status, a.RaisedAt });
        });

        modelBuilder.Entity<RejectedFixes>(rejected =>
        {
            rejected.ToTable($"{TablePrefix}rejected_fixes");
            rejected.HasKey(r => r.OrderId);
            rejected.Property(r => r.OrderId).HasMaxLength(32).IsFixedLength().IsUnicode(false);
        });

        modelBuilder.Entity<DeliverySpeed>(speed =>
        {
            speed.ToTable($"{TablePrefix}delivery_speeds");
            speed.HasKey(s => s.OrderId);
            speed.Property(s => s.OrderId).HasMaxLength(32).IsFixedLength().IsUnicode(false);
            speed.Property(s => s.Area).HasMaxLength(12).IsUnicode(false).IsRequired();
            // The latest rides of an area at an hour, and of an hour anywhere.
            speed.HasIndex(s => new { s.Area, s.Hour, s.CompletedAt });
            speed.HasIndex(s => new { s.Hour, s.CompletedAt });
        });

        modelBuilder.AddOutbox(TablePrefix, protection);
        modelBuilder.UseSnakeCaseColumns();
    }
}

internal sealed class SqliteTrackingDbContext(DbContextOptions<SqliteTrackingDbContext> options) : TrackingDbContext(options)
{
    protected override string TablePrefix => "tracking_";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
}

internal sealed class SqlServerTrackingDbContext(DbContextOptions<SqlServerTrackingDbContext> options) : TrackingDbContext(options)
{
    protected override string TablePrefix => string.Empty;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
    }
}

/// <summary>
/// SQL Server's spatial storage: rider positions (the trajectory) and riders' latest fixes (dispatch) carry a persisted
/// <c>geography</c> point with a spatial index. EF Core cannot map <c>geography</c> without the NetTopologySuite plugin
/// (not available here), so the column is a persisted computed column added by the migrations and queried with small,
/// named raw statements (<c>NearbyRiders</c>).
/// </summary>
internal static class SqlServerSpatial
{
    public const string Positions = "rider_positions";

    public const string LatestFixes = "rider_latest";

    public static string AddLocationColumn(string table) =>
        $"ALTER TABLE [tracking].[{table}] ADD [location] AS geography::Point([latitude], [longitude], 4326) PERSISTED;";

    public static string CreateLocationIndex(string table) =>
        $"CREATE SPATIAL INDEX [SIX_{table}_location] ON [tracking].[{table}] ([location]) USING GEOGRAPHY_AUTO_GRID;";

    public static string DropLocationIndex(string table) => $"DROP INDEX [SIX_{table}_location] ON [tracking].[{table}];";

    public static string DropLocationColumn(string table) => $"ALTER TABLE [tracking].[{table}] DROP COLUMN [location];";
}

internal sealed class SqliteTrackingDbContextFactory : IDesignTimeDbContextFactory<SqliteTrackingDbContext>
{
    public SqliteTrackingDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqliteTrackingDbContext>(DatabaseProvider.Sqlite, TrackingDbContext.Schema));
}

internal sealed class SqlServerTrackingDbContextFactory : IDesignTimeDbContextFactory<SqlServerTrackingDbContext>
{
    public SqlServerTrackingDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqlServerTrackingDbContext>(DatabaseProvider.SqlServer, TrackingDbContext.Schema));
}
