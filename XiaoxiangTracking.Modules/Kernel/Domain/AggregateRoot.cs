using Mediator;

namespace XiaoxiangTracking.Modules.Shared.Domain;

/// <summary>
/// An entity whose state changes raise notifications. The notifications are written to the owning module's
/// outbox in the same transaction as the change (see <c>OutboxInterceptor</c>) and published after commit.
/// </summary>
public abstract class AggregateRoot
{
    private readonly List<INotification> _pendingNotifications = [];

    /// <summary>Notifications raised since the aggregate was loaded or last saved.</summary>
    public IReadOnlyList<INotification> PendingNotifications => _pendingNotifications;

    /// <summary>Records a fact for publication once the change is committed.</summary>
    protected void Raise(INotification notification) => _pendingNotifications.Add(notification);

    /// <summary>Hands the pending notifications over to the outbox and forgets them.</summary>
    public IReadOnlyList<INotification> TakePendingNotifications()
    {
        var taken = _pendingNotifications.ToArray();
        _pendingNotifications.Clear();
        return taken;
    }
}
