using Microsoft.EntityFrameworkCore;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>Context options for the EF Core tools (migrations add, migrations script), which never connect.</summary>
public static class DesignTime
{
    /// <summary>The placeholder SQL Server connection used only to generate migrations and scripts.</summary>
    public const string SqlServerConnectionString = "Server=localhost;Database=XiaoxiangTracking;Integrated Security=true;TrustServerCertificate=true";

    public static DbContextOptions<TContext> Options<TContext>(DatabaseProvider provider, string schema)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        ModuleDatabase.Configure(
            builder,
            new DatabaseOptions
            {
                Provider = provider,
                DataFolder = Path.GetTempPath(),
                SqliteFileName = "xiaoxiang-design-time.db",
                SqlServerConnectionString = SqlServerConnectionString,
            },
            Path.GetTempPath(),
            schema);
        return builder.Options;
    }
}
