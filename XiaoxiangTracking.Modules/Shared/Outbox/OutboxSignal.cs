using System.Collections.Concurrent;
using System.Threading.Channels;

namespace XiaoxiangTracking.Modules.Shared.Outbox;

/// <summary>Wakes a module's dispatcher right after a commit that wrote outbox rows.</summary>
public sealed class OutboxSignal
{
    private readonly ConcurrentDictionary<Type, Channel<bool>> _channels = new();

    internal void Notify(Type contextType)
    {
        foreach (var (type, channel) in _channels)
        {
            if (type.IsAssignableFrom(contextType))
            {
                channel.Writer.TryWrite(true);
            }
        }
    }

    /// <summary>Waits until notified or until <paramref name="timeout"/> (measured by <paramref name="clock"/>) passes.</summary>
    internal async Task WaitAsync(Type contextType, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var reader = For(contextType).Reader;
        if (reader.TryRead(out _))
        {
            return;
        }

        using var timer = new CancellationTokenSource(timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await reader.WaitToReadAsync(linked.Token);
            reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Poll interval elapsed.
        }
    }

    private Channel<bool> For(Type contextType) =>
        _channels.GetOrAdd(contextType, static _ => Channel.CreateBounded<bool>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite }));
}
