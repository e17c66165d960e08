using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Notifications.Hub;

/// <summary>
/// Which orders, riders and warehouses a hub caller may follow. Each hub method's policy admits roles; this decides
/// per subject. Orders follow the Orders module's one rule (<see cref="IOrderQueries.FindForAsync"/>), and an order the
/// caller may not see fails exactly like an unknown one.
/// </summary>
internal sealed class SubscriptionAccess(IOrderQueries orders)
{
    /// <summary>The view the caller gets of the order; a hub error for an unknown order or one not theirs.</summary>
    public async Task<OrderViewer> OrderViewerAsync(ClaimsPrincipal caller, string orderId, CancellationToken cancellationToken) =>
        (await orders.FindForAsync(caller, orderId, cancellationToken))?.Viewer
            ?? throw new HubException($"Order {orderId} was not found.");

    /// <summary>Riders follow their own assignments; ops anyone's.</summary>
    public static void RequireRider(ClaimsPrincipal caller, string riderId)
    {
        if (!caller.IsOps() && !(caller.IsInRole(Roles.Rider) && caller.Id() == riderId))
        {
            throw new HubException("You can follow only your own assignments.");
        }
    }

    /// <summary>The warehouse whose fleet the caller follows: ops any or all; warehouse staff only their own.</summary>
    public static string? FleetWarehouse(ClaimsPrincipal caller, string? warehouseId)
    {
        if (caller.IsOps())
        {
            return warehouseId;
        }

        var own = caller.IsInRole(Roles.Warehouse) ? caller.WarehouseId() : null;
        return own is not null && (warehouseId is null || warehouseId == own)
            ? own
            : throw new HubException("You can follow only your own warehouse's orders.");
    }
}
