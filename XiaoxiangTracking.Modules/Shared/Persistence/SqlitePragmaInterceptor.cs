using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>
/// Puts every SQLite connection into the durability mode the system promises: <c>synchronous=FULL</c> (a committed
/// transaction survives power loss, so a 2xx reply means durable), a busy timeout instead of immediate SQLITE_BUSY, and
/// foreign keys enforced. These settings belong to the connection; the WAL journal belongs to the database file and is
/// switched on once at start-up (<see cref="MigrateAtStartup{TContext}"/>).
/// </summary>
internal sealed class SqlitePragmaInterceptor(int busyTimeoutMilliseconds) : DbConnectionInterceptor
{
    private readonly string _pragmas =
        $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={busyTimeoutMilliseconds}; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection,
        ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
