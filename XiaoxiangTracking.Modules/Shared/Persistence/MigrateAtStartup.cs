using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>
/// Brings a module's schema up to date before the server accepts requests (hosted services start before Kestrel
/// listens), or, with start-up migration off, refuses to start when the schema scripts have not been applied. Never
/// <c>EnsureCreated</c>: the same migrations run here and in production scripts.
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

        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0 && database.ApplyMigrationsAtStartup)
        {
            logger.LogInformation("Applying {Count} migration(s) to {Context}", pending.Count, typeof(TContext).Name);
            await context.Database.MigrateAsync(cancellationToken);
            pending.Clear();
        }

        if (pending.Count > 0)
        {
            // Start-up migration is off and the schema scripts were not applied: every request and job would fail on a
            // missing table, so the host does not start, and says what is missing.
            throw new InvalidOperationException(
                $"{typeof(TContext).Name} lacks {pending.Count} migration(s): {string.Join(", ", pending)}. Database:ApplyMigrationsAtStartup is off: "
                + "apply the schema scripts first (README: Pointing it at SQL Server).");
        }

        readiness.MarkMigrated(typeof(TContext));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
