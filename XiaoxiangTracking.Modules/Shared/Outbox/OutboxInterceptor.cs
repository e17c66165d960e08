using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using XiaoxiangTracking.Modules.Shared.Domain;

namespace XiaoxiangTracking.Modules.Shared.Outbox;

/// <summary>
/// Turns the notifications raised by tracked aggregates into outbox rows inside the same SaveChanges (hence the same
/// transaction) as the state change, and wakes the dispatcher once they have been saved — or, inside an explicit
/// transaction, once that commits. A save or commit that wrote no outbox row (a position group commit, most updates)
/// wakes nothing.
/// </summary>
public sealed class OutboxInterceptor(NotificationTypeRegistry registry, OutboxSignal signal, TimeProvider clock)
    : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // Contexts that have written outbox rows not yet announced to the dispatcher.
    private readonly ConditionalWeakTable<DbContext, object> _unannounced = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Enqueue(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData,
        InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Enqueue(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Notify(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData,
        int result,
        CancellationToken cancellationToken = default)
    {
        Notify(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        Committed(eventData.Context);

    public Task TransactionCommittedAsync(
        System.Data.Common.DbTransaction transaction,
        TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _unannounced.Remove(context))
        {
            signal.Notify(context.GetType());
        }
    }

    private void Enqueue(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var aggregate in context.ChangeTracker.Entries<AggregateRoot>().Select(e => e.Entity).ToList())
        {
            foreach (var notification in aggregate.TakePendingNotifications())
            {
                context.Set<OutboxMessage>().Add(
                    OutboxMessage.Create(registry.NameOf(notification.GetType()), NotificationTypeRegistry.Serialize(notification), now));
                _unannounced.AddOrUpdate(context, context);
            }
        }
    }

    private void Notify(DbContext? context)
    {
        // Inside an explicit transaction the rows are not visible to the dispatcher until it commits.
        if (context?.Database.CurrentTransaction is null)
        {
            Committed(context);
        }
    }
}
