using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>
/// Brings a module's schema up to date before the server accepts requests (hosted services start before Kestrel
/// listens). Never <c>EnsureCreated</c>: the same migrations run here and in production scripts.
/// </summary>
internal sealed class MigrateAtStartup<TContext>(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    IHostEnvironment environment,
    DatabaseReadiness readiness,
    ILogger<MigrateAtStartup<TContext>> logger) : IHostedService
    where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var database = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(database.SqliteFilePath(environment.ContentRootPath))!);
            // Readers never block the writer; persistent in the file, so set once rather than on every connection.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (database.ApplyMigrationsAtStartup)
        {
            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s) to {Context}", pending.Count, typeof(TContext).Name);
                await context.Database.MigrateAsync(cancellationToken);
            }
        }

        readiness.MarkMigrated(typeof(TContext));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
