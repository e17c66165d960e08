using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Hub;

/// <summary>
/// The one place that decides who may follow what, and with which view. Ops see an order whole, its assigned rider
/// sees it as a rider, anyone else gets the customer view (the least: no rider id, a rounded position only while
/// delivering). The host does not authenticate callers yet, so today every caller is anonymous and gets the customer
/// view of single orders; the fleet (ops view) and a rider's assignments (rider view) are open, and their checks belong
/// here when callers carry roles.
/// </summary>
internal sealed class SubscriptionAccess(ILiveOrderQueries orders)
{
    public const string OpsRole = "ops";
    public const string RiderRole = "rider";

    /// <summary>The view the caller gets of the order; a hub error for an unknown order.</summary>
    public async Task<Viewer> OrderViewerAsync(ClaimsPrincipal caller, string orderId, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(orderId, cancellationToken) ?? throw new HubException($"Order {orderId} was not found.");
        if (caller.IsInRole(OpsRole))
        {
            return Viewer.Ops;
        }

        if (caller.IsInRole(RiderRole) && order.RiderId is not null
            && string.Equals(caller.FindFirstValue(ClaimTypes.NameIdentifier), order.RiderId, StringComparison.Ordinal))
        {
            return Viewer.Rider;
        }

        return Viewer.Customer;
    }
}
