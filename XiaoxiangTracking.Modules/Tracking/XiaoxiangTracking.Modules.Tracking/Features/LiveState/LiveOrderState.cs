using System.ComponentModel;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Shared.Memory;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;

namespace XiaoxiangTracking.Modules.Tracking.Features.LiveState;

/// <summary>An order's live tracking state, as customers and ops see it.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Status">Status code: 1 PendingPayment, 2 Paid, 3 Delivering, 4 Completed, 5 Cancelled.</param>
/// <param name="RiderId">The rider delivering it; null before one is assigned.</param>
/// <param name="Position">The rider's latest fix while delivering; null before the rider's first fix.</param>
/// <param name="Active">False once completed or cancelled.</param>
/// <param name="Version">The tracking version: one more with every change; deltas carry the same number.</param>
/// <param name="UpdatedAt">When the state last changed.</param>
/// <param name="CustomerId">The customer who placed it.</param>
/// <param name="WarehouseId">The warehouse that picks it.</param>
/// <param name="DeliveryLocation">Where it is delivered.</param>
/// <param name="DeliveryAddress">The delivery address as written by the customer.</param>
/// <param name="Alerts">The alert types open on the order.</param>
/// <param name="Eta">The arrival estimate while delivering.</param>
/// <param name="Collected">True once the rider has collected the order at the warehouse.</param>
[ImmutableObject(true)]
internal sealed record LiveOrderState(
    string OrderId,
    OrderStatus Status,
    string? RiderId,
    LivePosition? Position,
    bool Active,
    long Version,
    DateTimeOffset UpdatedAt,
    string CustomerId,
    string WarehouseId,
    GeoCoordinate DeliveryLocation,
    string DeliveryAddress,
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

    public static LiveOrderState Of(LiveOrder live) =>
        new(live.OrderId, live.Status, live.RiderId, live.Position, live.IsActive, live.Version, live.UpdatedAt,
            live.CustomerId, live.WarehouseId, live.DeliveryLocation, live.DeliveryAddress, live.Alerts, live.Eta, live.ArrivedAtWarehouseAt is not null);

    public LiveOrderSnapshot ToSnapshot() =>
        new(OrderId, Version, Status, RiderId, Position, Active, CustomerId, WarehouseId, DeliveryLocation, DeliveryAddress, UpdatedAt, Alerts, Eta, Collected);

    /// <summary>
    /// The state after <paramref name="delta"/>, which must be the next version: what it carries replaces what was, what
    /// it clears is gone, the rest stays (docs/api.md, "Applying updates").
    /// </summary>
    public LiveOrderState Apply(OrderTrackingChanged delta) => this with
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
}
