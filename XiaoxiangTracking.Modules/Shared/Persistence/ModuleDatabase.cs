using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>How a module registers its DbContext for whichever provider <see cref="DatabaseOptions"/> selects.</summary>
public static class ModuleDatabase
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> as the module's context, backed by the provider-specific subclass
    /// whose migrations match the provider. Each module keeps its own schema (SQL Server) or table prefix (SQLite) and
    /// its own migrations history table, and is migrated at start-up when <see cref="DatabaseOptions.ApplyMigrationsAtStartup"/>.
    /// </summary>
    public static IServiceCollection AddModuleDbContext<TContext, TSqliteContext, TSqlServerContext>(
        this IServiceCollection services,
        IConfiguration configuration,
        string schema)
        where TContext : DbContext
        where TSqliteContext : TContext
        where TSqlServerContext : TContext
    {
        services.AddDatabaseOptions(configuration);
        var provider = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.Provider
            ?? DatabaseProvider.Sqlite;

        void ConfigureContext(IServiceProvider sp, DbContextOptionsBuilder options)
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var environment = sp.GetRequiredService<IHostEnvironment>();
            Configure(options, database, environment.ContentRootPath, schema);
            // What the application adds to every save (the outbox writes the aggregates' notifications with it).
            options.AddInterceptors(sp.GetServices<IInterceptor>());
            ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(
                new ColumnProtectionExtension(sp.GetRequiredService<IDataProtectionProvider>()));
        }

        // A context per scope; its options (built from singletons only) once for the application, not per request.
        if (provider == DatabaseProvider.Sqlite)
        {
            services.AddDbContext<TContext, TSqliteContext>(ConfigureContext, ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        }
        else
        {
            services.AddDbContext<TContext, TSqlServerContext>(ConfigureContext, ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        }

        services.AddHostedService<MigrateAtStartup<TContext>>();
        services.AddSingleton(new ModuleSchema(schema, () =>
            (DbContext)Activator.CreateInstance(typeof(TSqlServerContext), DesignTime.Options<TSqlServerContext>(DatabaseProvider.SqlServer, schema))!));
        // After the first migration: Data Protection's start-up reads its key ring, which may live in that database.
        services.AddDataProtection();
        return services;
    }

    /// <summary>Provider configuration shared by the host and the design-time factories.</summary>
    public static void Configure(DbContextOptionsBuilder options, DatabaseOptions database, string contentRoot, string schema)
    {
        var historyTable = MigrationsHistoryTable(schema);
        options.ReplaceService<IModelCacheKeyFactory, ProtectedModelCacheKeyFactory>();
        // A failed save is its caller's to report: some are expected and handled (two rules raising the same alert at once,
        // the unique index refusing the second: AlertBook), and any other reaches the error handler, the outbox or the
        // job log with its context. Logged here as an error too, every handled race left a "fail" line in the logs.
        options.ConfigureWarnings(warnings => warnings.Log((CoreEventId.SaveChangesFailed, LogLevel.Debug)));
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var path = database.SqliteFilePath(contentRoot);
            options.UseSqlite(
                $"Data Source={path};Pooling=True;Default Timeout={Math.Max(1, database.SqliteBusyTimeoutMilliseconds / 1000)}",
                sqlite => sqlite.MigrationsHistoryTable(historyTable));
            options.AddInterceptors(new SqlitePragmaInterceptor(database.SqliteBusyTimeoutMilliseconds));
        }
        else
        {
            var connectionString = database.SqlServerConnectionString
                ?? throw new InvalidOperationException("Database:SqlServerConnectionString is required when Database:Provider is SqlServer.");
            options.UseSqlServer(connectionString, sql => sql.MigrationsHistoryTable(historyTable, schema));
        }
    }

    /// <summary>SQLite has no schemas, so the module prefix goes into the history table's name as it does into its tables.</summary>
    public static string MigrationsHistoryTable(string schema) => $"__{schema}_migrations";

    internal static IServiceCollection AddDatabaseOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DatabaseOptions>(configuration, DatabaseOptions.SectionName)
            .Validate(
                o => o.Provider != DatabaseProvider.SqlServer || !string.IsNullOrWhiteSpace(o.SqlServerConnectionString),
                "Database:SqlServerConnectionString is required when Database:Provider is SqlServer.");
        services.TryAddSingleton<DatabaseReadiness>();
        return services;
    }
}
