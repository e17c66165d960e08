using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>
/// A change on its way to the hub's connections, with its message for each viewer built on first use and serialized
/// once per protocol however many connections get it. Short-lived: the delta history keeps the change alone.
/// </summary>
internal sealed class PushedChange(OrderTrackingChanged change)
{
    private static readonly int Viewers = Enum.GetValues<OrderViewer>().Max(v => (int)v) + 1;

    private readonly SerializedHubMessage?[] _messages = new SerializedHubMessage?[Viewers];

    public OrderTrackingChanged Change { get; } = change;

    public string OrderId => Change.OrderId;

    public long Version => Change.Version;

    /// <summary>True when newer changes of the order arrived before this one (it fills a hole in the history).</summary>
    public bool Late { get; init; }

    /// <summary>The <c>OrderUpdated</c> delta as <paramref name="viewer"/> may see it.</summary>
    public SerializedHubMessage MessageFor(OrderViewer viewer)
    {
        ref var message = ref _messages[(int)viewer];
        return Volatile.Read(ref message)
            ?? Interlocked.CompareExchange(ref message, Message(ClientMethods.OrderUpdated, OrderViews.Delta(Change, viewer)), null)
            ?? message;
    }

    /// <summary>A hub message (<c>method(argument)</c>) ready to be written to any number of connections.</summary>
    public static SerializedHubMessage Message(string method, object argument) => new(new InvocationMessage(method, [argument]));
}
