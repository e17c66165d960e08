using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Tracking.Live;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Ingest;

/// <summary>
/// The position writer's own connection, opened once with its statements prepared on it, so that a commit costs its
/// statements and its sync rather than a scope, a connection open (with its per-connection settings) and three
/// statement compilations. One writer uses it at a time; after a failed commit the writer disposes it and opens a new
/// one, so a broken connection is never reused.
/// </summary>
internal sealed class PositionStore : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;
    private readonly DbConnection _connection;

    private PositionStore(AsyncServiceScope scope, DbConnection connection, bool sqlite, LiveMoves moves)
    {
        _scope = scope;
        _connection = connection;
        Insert = PositionInsert.Prepare(connection, sqlite);
        Live = LivePositionUpdate.Prepare(connection, sqlite, moves);
    }

    public PositionInsert Insert { get; }

    public LivePositionUpdate Live { get; }

    public static async Task<PositionStore> OpenAsync(IServiceScopeFactory scopes, LiveMoves moves, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
            // Through EF, so the connection gets the provider's per-connection settings (SQLite's pragmas).
            await db.Database.OpenConnectionAsync(cancellationToken);
            return new PositionStore(scope, db.Database.GetDbConnection(), db.Database.IsSqlite(), moves);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a transaction (on SQLite <c>BEGIN IMMEDIATE</c>: the write lock from the start) for both statements.</summary>
    public async Task<DbTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        Insert.Transaction = transaction;
        Live.Transaction = transaction;
        return transaction;
    }

    public async ValueTask DisposeAsync()
    {
        await Insert.DisposeAsync();
        await Live.DisposeAsync();
        // The context closes the connection it opened.
        await _scope.DisposeAsync();
    }
}
