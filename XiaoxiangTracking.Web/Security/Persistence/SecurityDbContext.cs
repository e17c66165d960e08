using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Web.Security.Persistence;

/// <summary>
/// The host's security tables: the IP deny list and the Data Protection key ring (shared by every instance, so any of
/// them can read what another encrypted). Schema <c>security</c> on SQL Server, prefix <c>security_</c> on SQLite.
/// </summary>
internal abstract class SecurityDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public const string Schema = "security";

    public DbSet<DeniedNetwork> DeniedNetworks => Set<DeniedNetwork>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected abstract string TablePrefix { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DeniedNetwork>(denied =>
        {
            denied.ToTable($"{TablePrefix}ip_deny_list");
            denied.HasKey(d => d.Id);
            denied.Property(d => d.Id).HasMaxLength(32).IsFixedLength().IsUnicode(false);
            denied.Property(d => d.Cidr).HasMaxLength(DeniedNetwork.MaxCidrLength).IsUnicode(false).IsRequired();
            denied.Property(d => d.Reason).HasMaxLength(DeniedNetwork.MaxReasonLength).IsRequired();
            denied.Property(d => d.CreatedBy).HasMaxLength(32).IsUnicode(false).IsRequired();
            denied.HasIndex(d => d.Cidr).IsUnique();
        });

        modelBuilder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable($"{TablePrefix}data_protection_keys");
            key.Property(k => k.FriendlyName).HasMaxLength(100);
        });

        modelBuilder.UseSnakeCaseColumns();
    }
}

internal sealed class SqliteSecurityDbContext(DbContextOptions<SqliteSecurityDbContext> options) : SecurityDbContext(options)
{
    protected override string TablePrefix => "security_";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
}

internal sealed class SqlServerSecurityDbContext(DbContextOptions<SqlServerSecurityDbContext> options) : SecurityDbContext(options)
{
    protected override string TablePrefix => string.Empty;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
    }
}

internal sealed class SqliteSecurityDbContextFactory : IDesignTimeDbContextFactory<SqliteSecurityDbContext>
{
    public SqliteSecurityDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqliteSecurityDbContext>(DatabaseProvider.Sqlite, SecurityDbContext.Schema));
}

internal sealed class SqlServerSecurityDbContextFactory : IDesignTimeDbContextFactory<SqlServerSecurityDbContext>
{
    public SqlServerSecurityDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Options<SqlServerSecurityDbContext>(DatabaseProvider.SqlServer, SecurityDbContext.Schema));
}
