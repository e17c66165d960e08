using System.Collections.Concurrent;
using XiaoxiangTracking.Modules.Orders.Contracts;

namespace XiaoxiangTracking.Tests.Support;

/// <summary>Every order notification a host published, in publication order.</summary>
public sealed class NotificationLog
{
    private readonly ConcurrentQueue<IOrderNotification> _published = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<IOrderNotification> Published => [.. _published];

    internal void Record(IOrderNotification notification)
    {
        _published.Enqueue(notification);
        _arrived.Release();
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until a notification matching <paramref name="match"/> is published.</summary>
    public async Task<T> WaitFor<T>(Func<T, bool> match, TimeSpan? timeout = null)
        where T : IOrderNotification
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
                    $"No {typeof(T).Name} matching the condition was published; published: {string.Join(", ", _published.Select(n => $"{n.GetType().Name}({n.OrderId} v{n.Version})"))}");
            }
        }
    }
}
