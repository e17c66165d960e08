using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>Work for one connection's pump, handled strictly in queue order.</summary>
internal abstract record Push
{
    /// <summary>A change of an order the connection may follow.</summary>
    public sealed record Delta(PushedChange Change) : Push;

    /// <summary>Bring one order up to date from <paramref name="Have"/> (null: the client holds nothing).</summary>
    public sealed record CatchUp(string OrderId, OrderViewer Viewer, long? Have) : Push;

    /// <summary>Send every active order of the rider (rider view).</summary>
    public sealed record RiderCatchUp(string RiderId) : Push;

    /// <summary>Send every active order, or one warehouse's (ops view).</summary>
    public sealed record FleetCatchUp(string? WarehouseId) : Push;

    /// <summary>The connection may no longer see the order (its rider was replaced): tell the client to drop it.</summary>
    public sealed record Revoked(string OrderId) : Push;

    /// <summary>Tell the client the current version of each order it follows.</summary>
    public sealed record Beacon : Push;
}
