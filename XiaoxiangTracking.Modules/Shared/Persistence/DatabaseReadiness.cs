using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>
/// Readiness of the module databases: every registered context has all its migrations applied (at start-up, or by
/// the schema scripts when start-up migration is off) and answers a query now. Backs <c>/health/ready</c>.
/// </summary>
public sealed class DatabaseReadiness
{
    private readonly ConcurrentDictionary<Type, bool> _migrated = new();

    internal void MarkMigrated(Type contextType) => _migrated[contextType] = true;

    public bool IsMigrated(Type contextType) => _migrated.ContainsKey(contextType);
}

/// <summary>Health check for one module context: every migration applied, and reachable.</summary>
internal sealed class ModuleDatabaseHealthCheck<TContext>(DatabaseReadiness readiness, IServiceScopeFactory scopes) : IHealthCheck
    where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsMigrated(typeof(TContext)))
        {
            return HealthCheckResult.Unhealthy($"{typeof(TContext).Name} has not finished start-up migration.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        if (!await db.Database.CanConnectAsync(cancellationToken))
        {
            return HealthCheckResult.Unhealthy($"{typeof(TContext).Name} cannot reach its database.");
        }

        // Each probe: a database restored from an older backup, or pointed at by a host newer than its schema scripts.
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(
                $"{typeof(TContext).Name} lacks {pending.Count} migration(s): {string.Join(", ", pending)}. Apply the schema scripts (README: Pointing it at SQL Server).");
    }
}

public static class DatabaseHealthChecks
{
    /// <summary>Adds the readiness check of a module's database, tagged <c>ready</c>.</summary>
    public static IHealthChecksBuilder AddModuleDatabaseCheck<TContext>(this IHealthChecksBuilder builder, string name)
        where TContext : DbContext =>
        builder.AddCheck<ModuleDatabaseHealthCheck<TContext>>(name, tags: ["ready"]);
}
