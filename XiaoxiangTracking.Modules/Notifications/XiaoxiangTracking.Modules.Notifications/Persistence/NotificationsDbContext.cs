using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using XiaoxiangTracking.Modules.Notifications.Domain;
using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Modules.Notifications.Persistence;

/// <summary>The Notifications module's tables (webhooks): schema <c>notifications</c> on SQL Server, prefix <c>notifications_</c> on SQLite.</summary>
internal abstract class NotificationsDbContext(DbContextOptions options) : DbContext(options)
{
    public const string Schema = "notifications";

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    protected abstract string TablePrefix { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Signing secrets and event payloads (which can carry an order's address) are stored encrypted.
        var protection = ColumnProtection.Of(this);
        modelBuilder.Entity<WebhookSubscription>(subscription =>
        {
            subscription.ToTable($"{TablePrefix}webhook_subscriptions");
            subscription.HasKey(s => s.Id);
            subscription.Property(s => s.Id).HasMaxLength(32).IsFixedLength().IsUnicode(false);
            subscription.Property(s => s.Url).HasMaxLength(2048).IsRequired();
            subscription.Property(s => s.Secret).IsRequired().IsProtected(protection, 128);
            subscription.Property(s => s.EventTypes).HasMaxLength(500).IsUnicode(false).IsRequired();
            subscription.Ignore(s => s.EventTypeList);
        });

        modelBuilder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.ToTable($"{TablePrefix}webhook_deliveries");
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Id).HasMaxLength(32).IsFixedLength().IsUnicode(false);
            delivery.Property(d => d.SubscriptionId).HasMaxLength(32).IsFixedLength().IsUnicode(false).IsRequired();
            delivery.Property(d => d.EventType).HasMaxLength(40).IsUnicode(false).IsRequired();
            delivery.Property(d => d.EventKey).HasMaxLength(100).IsUnicode(false).IsRequired();
            delivery.Property(d => d.Payload).IsRequired().IsProtected(protection);
            delivery.Property(d => d.Status).HasConversion<byte>();
            delivery.Property(d => d.Revision).IsConcurrencyToken();
            delivery.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
            // An event reaches a subscription once, however often its notification is delivered.
            delivery.HasIndex(d => new { d.SubscriptionId, d.EventKey }).IsUnique();
            // A subscription's deliveries, newest first.
            delivery.HasIndex(d => new { d.SubscriptionId, d.CreatedAt });
            // The sweep: pending deliveries whose attempt is overdue.
            delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
            delivery.OwnsMany(d => d.Attempts, attempt =>
            {
                attempt.ToTable($"{TablePrefix}webhook_attempts");
                attempt.WithOwner().HasForeignKey("DeliveryId");
                attempt.HasKey("DeliveryId", nameof(WebhookAttempt.Number));
                attempt.Property(a => a.Number).ValueGeneratedNever();
                attempt.Property(a => a.Error).HasMaxLength(500);
                attempt.Ignore(a => a.Succeeded);
            });
            delivery.Navigation(d => d.Attempts).HasField("_attempts");
        });

        modelBuilder.UseSnakeCaseColumns();
    }
}

internal sealed class SqliteNotificationsDbContext(DbContextOptions<SqliteNotificationsDbContext> options) : NotificationsDbContext(options)
{
    protected override string TablePrefix => "notifications_";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
}

internal sealed class SqlServerNotificationsDbContext(DbContextOptions<SqlServerNotificationsDbContext> options) : NotificationsDbContext(options)
{
    protected override string TablePrefix => string.Empty;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
    }
}

internal sealed class SqliteNotificationsDbContextFactory : IDesignTimeDbContextFactory<SqliteNotificationsDbContext>
{
    public SqliteNotificationsDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqliteNotificationsDbContext>(DatabaseProvider.Sqlite, NotificationsDbContext.Schema));
}

internal sealed class SqlServerNotificationsDbContextFactory : IDesignTimeDbContextFactory<SqlServerNotificationsDbContext>
{
    public SqlServerNotificationsDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqlServerNotificationsDbContext>(DatabaseProvider.SqlServer, NotificationsDbContext.Schema));
}
