using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;

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
    bool Collected);

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
