using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Shared.Memory;

namespace XiaoxiangTracking.Modules.Tracking.Contracts;

/// <summary>An order's whole live tracking state at one version, with who it concerns.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Version">The tracking version this state is at.</param>
/// <param name="Status">The order's status.</param>
/// <param name="RiderId">The rider delivering it; null before one is assigned.</param>
/// <param name="Position">The rider's latest fix while delivering; null before the first.</param>
/// <param name="Active">False once completed or cancelled.</param>
/// <param name="CustomerId">The customer who placed it.</param>
/// <param name="WarehouseId">The warehouse that picks it.</param>
/// <param name="DeliveryLocation">Where it is delivered.</param>
/// <param name="DeliveryAddress">The delivery address as written by the customer.</param>
/// <param name="UpdatedAt">When the state last changed.</param>
/// <param name="Alerts">The alert types open on the order.</param>
/// <param name="Eta">The arrival estimate while delivering.</param>
/// <param name="Collected">True once the rider has collected the order at the warehouse.</param>
[System.ComponentModel.ImmutableObject(true)]
public sealed record LiveOrderSnapshot(
    string OrderId,
    long Version,
    OrderStatus Status,
    string? RiderId,
    LivePosition? Position,
    bool Active,
    string CustomerId,
    string WarehouseId,
    GeoCoordinate DeliveryLocation,
    string DeliveryAddress,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<AlertType> Alerts,
    LiveEta? Eta,
    bool Collected)
{
    /// <summary>The rider delivering it; null before one is assigned (the shared copy of the id: <see cref="Names"/>).</summary>
    public string? RiderId { get; init; } = Names.Shared(RiderId);

    /// <summary>The warehouse that picks it (the shared copy of the id: <see cref="Names"/>).</summary>
    public string WarehouseId { get; init; } = Names.Shared(WarehouseId);

    /// <summary>The alert types open on the order: one of <see cref="AlertSets"/>' shared lists.</summary>
    public IReadOnlyList<AlertType> Alerts { get; init => field = AlertSets.Shared(value); } = AlertSets.Shared(Alerts);

    /// <summary>
    /// The state after <paramref name="delta"/>, which must be the next version: what it carries replaces what was, what
    /// it clears is gone, the rest stays (docs/api.md, "Applying updates"). Every receiver of deltas applies them by
    /// this rule, so a state built from deltas equals the snapshot at the same version.
    /// </summary>
    public LiveOrderSnapshot Apply(OrderTrackingChanged delta) => this with
    {
        Status = delta.Status ?? Status,
        RiderId = delta.RiderId ?? RiderId,
        Position = delta.Cleared.HasFlag(LiveFields.Position) ? null : delta.Position ?? Position,
        Active = delta.Active ?? Active,
        Alerts = delta.Alerts ?? Alerts,
        Eta = delta.Cleared.HasFlag(LiveFields.Eta) ? null : delta.Eta ?? Eta,
        Collected = delta.Collected ?? Collected,
        Version = delta.Version,
        UpdatedAt = delta.OccurredAt,
    };

    /// <summary>The state as <paramref name="viewer"/> may see it (<see cref="LiveViews"/>): what REST and the hub both show.</summary>
    public LiveOrderSnapshot For(OrderViewer viewer) => LiveViews.Of(this, viewer);
}

/// <summary>
/// What each viewer may see of an order's live state and of its changes: one rule for the REST state, the hub's
/// snapshots and the hub's deltas, so a state built from a viewer's deltas equals the viewer's snapshot. A field a
/// viewer may not see is withheld (null, empty or no alerts); a wire shape leaves withheld fields out.
/// <list type="bullet">
/// <item>Customers and share links: no rider id, no alerts, nothing about the customer or the warehouse, and the
/// rider's position only while the order is being delivered, as <see cref="CustomerView"/> rounds it.</item>
/// <item>Riders: no alerts and no customer id.</item>
/// <item>Warehouse staff and ops: everything.</item>
/// </list>
/// </summary>
public static class LiveViews
{
    /// <summary>Whether <paramref name="viewer"/> sees the rider's id, the delivery address and the warehouse.</summary>
    public static bool SeesDelivery(OrderViewer viewer) => viewer is not (OrderViewer.Customer or OrderViewer.Shared);

    /// <summary>Whether <paramref name="viewer"/> sees the open alerts and the customer.</summary>
    public static bool SeesEverything(OrderViewer viewer) => viewer is OrderViewer.Ops or OrderViewer.Warehouse;

    /// <summary>The state as the viewer may see it.</summary>
    public static LiveOrderSnapshot Of(LiveOrderSnapshot state, OrderViewer viewer) => viewer switch
    {
        _ when SeesEverything(viewer) => state,
        _ when SeesDelivery(viewer) => state with { Alerts = AlertSets.None, CustomerId = string.Empty },
        _ => state with
        {
            RiderId = null,
            Position = state.Status == OrderStatus.Delivering ? CustomerView.Position(state.Position) : null,
            Alerts = AlertSets.None,
            CustomerId = string.Empty,
            WarehouseId = string.Empty,
            DeliveryAddress = string.Empty,
        },
    };

    /// <summary>The change as the viewer may see it (a change that carries a position is always from delivery).</summary>
    public static OrderTrackingChanged Of(OrderTrackingChanged change, OrderViewer viewer) => viewer switch
    {
        _ when SeesEverything(viewer) => change,
        _ when SeesDelivery(viewer) => change.Alerts is null ? change : change with { Alerts = null },
        _ => change with { RiderId = null, Position = CustomerView.Position(change.Position), Alerts = null, ReportedAt = null },
    };
}

/// <summary>Reads of orders' live state for other modules (the Tracking module answers them from its cache and tables).</summary>
public interface ILiveOrderQueries
{
    /// <summary>
    /// One order's current state, at least at <paramref name="atLeastVersion"/> when the order has reached it (a reader
    /// that has seen a change is never answered with the state before it); null for an unknown order.
    /// </summary>
    ValueTask<LiveOrderSnapshot?> GetAsync(string orderId, long atLeastVersion, CancellationToken cancellationToken);

    /// <summary>Every active order, or those of one warehouse.</summary>
    Task<IReadOnlyList<LiveOrderSnapshot>> ActiveAsync(string? warehouseId, CancellationToken cancellationToken);

    /// <summary>The active orders a rider is delivering.</summary>
    Task<IReadOnlyList<LiveOrderSnapshot>> ForRiderAsync(string riderId, CancellationToken cancellationToken);
}
