using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Hub;

/// <summary>
/// The one place that decides who may follow what, and with which view. Ops see an order whole, its assigned rider
/// sees it as a rider, anyone else gets the customer view (the least: no rider id, a rounded position only while
/// delivering). The host does not authenticate callers yet, so today every caller is anonymous and gets the customer
/// view of single orders; the fleet (ops view) and a rider's assignments (rider view) are open, and their checks belong
/// here when callers carry roles.
/// </summary>
internal sealed class SubscriptionAccess(IOrderQueries orders, ILiveOrderQueries liveOrders)
{
    public const string OpsRole = "ops";
    public const string RiderRole = "rider";

    /// <summary>The view the caller gets of the order; a hub error for an unknown order.</summary>
    public async Task<Viewer> OrderViewerAsync(ClaimsPrincipal caller, string orderId, CancellationToken cancellationToken)
    {
        // The Orders module knows an order from the moment it is placed; Tracking's live state follows a moment later.
        _ = await orders.FindAsync(orderId, cancellationToken) ?? throw new HubException($"Order {orderId} was not found.");
        if (caller.IsInRole(OpsRole))
        {
            return Viewer.Ops;
        }

        var live = await liveOrders.GetAsync(orderId, cancellationToken);
        if (caller.IsInRole(RiderRole) && live?.RiderId is not null
            && string.Equals(caller.FindFirstValue(ClaimTypes.NameIdentifier), live.RiderId, StringComparison.Ordinal))
        {
            return Viewer.Rider;
        }

        return Viewer.Customer;
    }
}
