using System.Collections.Concurrent;
using Mediator;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Tests.Support;

/// <summary>
/// Every notification a host published between modules (order changes, rider assignments, live-state deltas), in
/// publication order.
/// </summary>
public sealed class NotificationLog
{
    private readonly ConcurrentQueue<INotification> _published = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<INotification> Published => [.. _published];

    /// <summary>The live-state deltas of one order, in version order.</summary>
    public IReadOnlyList<OrderTrackingChanged> Deltas(string orderId) =>
        [.. _published.OfType<OrderTrackingChanged>().Where(d => d.OrderId == orderId).OrderBy(d => d.Version)];

    internal void Record(INotification notification)
    {
        _published.Enqueue(notification);
        _arrived.Release();
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until a notification matching <paramref name="match"/> is published.</summary>
    public async Task<T> WaitFor<T>(Func<T, bool> match, TimeSpan? timeout = null)
        where T : INotification
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (_published.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            try
            {
                await _arrived.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"No {typeof(T).Name} matching the condition was published; published: {string.Join(", ", _published.Select(Describe))}");
            }
        }
    }

    private static string Describe(INotification notification) => notification switch
    {
        IOrderNotification n => $"{n.GetType().Name}({n.OrderId} v{n.Version})",
        OrderTrackingChanged d => $"OrderTrackingChanged({d.OrderId} v{d.Version})",
        RiderAssigned a => $"RiderAssigned({a.OrderId} #{a.Assignment} {a.RiderId})",
        _ => notification.GetType().Name,
    };
}
