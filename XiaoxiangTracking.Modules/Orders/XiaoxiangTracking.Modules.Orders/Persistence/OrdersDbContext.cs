using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using XiaoxiangTracking.Modules.Orders.Domain;
using XiaoxiangTracking.Modules.Shared.Idempotency;
using XiaoxiangTracking.Modules.Shared.Outbox;
using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Modules.Orders.Persistence;

/// <summary>
/// The Orders module's tables: schema <c>orders</c> on SQL Server, prefix <c>orders_</c> on SQLite (no schemas there).
/// One subclass per provider carries that provider's migrations.
/// </summary>
internal abstract class OrdersDbContext(DbContextOptions options) : DbContext(options)
{
    public const string Schema = "orders";

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<PickingTask> PickingTasks => Set<PickingTask>();

    public DbSet<ShareLink> ShareLinks => Set<ShareLink>();

    /// <summary>Prefix of every table name of this module.</summary>
    protected abstract string TablePrefix { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var protection = ColumnProtection.Of(this);
        modelBuilder.ApplyConfiguration(new OrderConfiguration(TablePrefix, protection));
        modelBuilder.ApplyConfiguration(new PickingTaskConfiguration(TablePrefix));
        modelBuilder.ApplyConfiguration(new ShareLinkConfiguration(TablePrefix));
        modelBuilder.AddOutbox(TablePrefix, protection);
        modelBuilder.AddIdempotencyKeys(TablePrefix, protection);
        modelBuilder.UseSnakeCaseColumns();
    }
}

internal sealed class SqliteOrdersDbContext(DbContextOptions<SqliteOrdersDbContext> options) : OrdersDbContext(options)
{
    protected override string TablePrefix => "orders_";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<decimal>().HaveConversion<CentsConverter>();
    }
}

internal sealed class SqlServerOrdersDbContext(DbContextOptions<SqlServerOrdersDbContext> options) : OrdersDbContext(options)
{
    protected override string TablePrefix => string.Empty;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
    }
}

/// <summary>Used by <c>dotnet ef migrations add --context SqliteOrdersDbContext</c>.</summary>
internal sealed class SqliteOrdersDbContextFactory : IDesignTimeDbContextFactory<SqliteOrdersDbContext>
{
    public SqliteOrdersDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqliteOrdersDbContext>(DatabaseProvider.Sqlite, OrdersDbContext.Schema));
}

/// <summary>Used by <c>dotnet ef migrations add|script --context SqlServerOrdersDbContext</c>.</summary>
internal sealed class SqlServerOrdersDbContextFactory : IDesignTimeDbContextFactory<SqlServerOrdersDbContext>
{
    public SqlServerOrdersDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqlServerOrdersDbContext>(DatabaseProvider.SqlServer, OrdersDbContext.Schema));
}
