using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using XiaoxiangTracking.Modules.Notifications.Fanout;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Notifications.Hub;

/// <summary>
/// <c>/hubs/tracking</c>: clients follow orders and receive <c>OrderUpdated</c> (snapshots and versioned deltas),
/// <c>OrderRemoved</c> and the periodic <c>Versions</c> heartbeat. The resync protocol is in docs/api.md. Connecting
/// needs a token of any role or a share link's token; each method names the roles it admits, and <see cref="SubscriptionAccess"/> decides which
/// orders, riders and warehouses the caller may follow.
/// </summary>
[Authorize(Policy = Policies.Watchers)]
internal sealed class TrackingHub(
    Subscribers subscribers, SubscriptionAccess access, ShareLinkConnections shareLinks, Shared.Observability.ServiceMetrics metrics)
    : Microsoft.AspNetCore.SignalR.Hub
{
    private const string TransportKey = "transport";

    private const int MaxIdLength = 32;

    public override Task OnConnectedAsync()
    {
        subscribers.Connect(Context.ConnectionId, Context.User?.Id());
        shareLinks.Opened(Context);
        var transport = Context.Features.Get<Microsoft.AspNetCore.Http.Connections.Features.IHttpTransportFeature>()?.TransportType.ToString() ?? "unknown";
        Context.Items[TransportKey] = transport;
        metrics.HubConnections.WithLabels(transport).Inc();
        return base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await subscribers.DisconnectAsync(Context.ConnectionId);
        shareLinks.Closed(Context.ConnectionId);
        if (Context.Items.TryGetValue(TransportKey, out var transport))
        {
            metrics.HubConnections.WithLabels((string)transport!).Dec();
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>
    /// Follows one order. Without <paramref name="lastVersion"/> the client first gets a snapshot; with it, exactly the
    /// changes after that version (or a snapshot when they are too old), then every new change in version order.
    /// Call it again with the version you hold whenever you see a gap. A share link's viewer follows its one order.
    /// </summary>
    [Authorize(Policy = Policies.Watchers)]
    public async Task SubscribeOrder(string orderId, long? lastVersion)
    {
        RequireId(orderId, nameof(orderId));
        if (lastVersion < 0)
        {
            throw new HubException("'lastVersion' must be 0 or more.");
        }

        var viewer = await access.OrderViewerAsync(Context.User!, orderId, Context.ConnectionAborted);
        subscribers.FollowOrder(Context.ConnectionId, orderId, viewer, lastVersion);
    }

    /// <summary>Stops following one order.</summary>
    [Authorize(Policy = Policies.Participants)]
    public void UnsubscribeOrder(string orderId)
    {
        RequireId(orderId, nameof(orderId));
        subscribers.UnfollowOrder(Context.ConnectionId, orderId);
    }

    /// <summary>A rider follows their assignments: a snapshot of each active one, then its changes; new assignments arrive as they are made.</summary>
    [Authorize(Policy = Policies.Riders)]
    public void SubscribeAssignments(string riderId)
    {
        RequireId(riderId, nameof(riderId));
        SubscriptionAccess.RequireRider(Context.User!, riderId);
        subscribers.FollowRider(Context.ConnectionId, riderId);
    }

    /// <summary>
    /// Ops follow every active order (or one warehouse's), warehouse staff their own warehouse's: snapshots, then every
    /// change, with rider ids.
    /// </summary>
    [Authorize(Policy = Policies.Warehouses)]
    public void SubscribeFleet(string? warehouseId)
    {
        if (warehouseId is not null)
        {
            RequireId(warehouseId, nameof(warehouseId));
        }

        subscribers.FollowFleet(Context.ConnectionId, SubscriptionAccess.FleetWarehouse(Context.User!, warehouseId));
    }

    private static void RequireId(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxIdLength)
        {
            throw new HubException($"'{name}' must be 1 to {MaxIdLength} characters.");
        }
    }
}
