using Mediator;
using XiaoxiangTracking.Modules.Shared.Domain;

namespace XiaoxiangTracking.Modules.Orders.Contracts;

/// <summary>
/// A fact about one order, published after the change committed. <see cref="Version"/> is the order's version after
/// the change: handlers use (order, version) to ignore duplicates and stale deliveries.
/// </summary>
public interface IOrderNotification : INotification
{
    /// <summary>The 32-character order id.</summary>
    string OrderId { get; }

    /// <summary>The order's version after this change; increases by one with every change.</summary>
    long Version { get; }

    /// <summary>The status the order has after this change.</summary>
    OrderStatus Status { get; }

    /// <summary>When the change happened (UTC).</summary>
    DateTimeOffset OccurredAt { get; }
}

/// <summary>A customer placed an order; it waits for payment.</summary>
/// <param name="OrderId">The 32-character order id.</param>
/// <param name="Version">The order's version (1).</param>
/// <param name="CustomerId">The customer who placed it.</param>
/// <param name="WarehouseId">The warehouse that will pick it.</param>
/// <param name="WarehouseLocation">Where the warehouse is.</param>
/// <param name="DeliveryLocation">Where the order is delivered.</param>
/// <param name="DeliveryAddress">The delivery address as the customer wrote it (shown to the rider).</param>
/// <param name="PromisedDeliveryAt">When the customer was promised delivery.</param>
/// <param name="OccurredAt">When it was placed.</param>
public sealed record OrderPlaced(
    string OrderId,
    long Version,
    string CustomerId,
    string WarehouseId,
    GeoCoordinate WarehouseLocation,
    GeoCoordinate DeliveryLocation,
    string DeliveryAddress,
    DateTimeOffset PromisedDeliveryAt,
    DateTimeOffset OccurredAt) : IOrderNotification
{
    /// <inheritdoc />
    public OrderStatus Status => OrderStatus.PendingPayment;
}

/// <summary>Payment succeeded; a picking task was created for the warehouse.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Version">The order's version after payment.</param>
/// <param name="WarehouseId">The warehouse that picks it.</param>
/// <param name="PickingTaskId">The picking task created with the payment.</param>
/// <param name="OccurredAt">When payment was recorded.</param>
/// <param name="ItemCount">How many items the warehouse picks (the lines' quantities summed).</param>
public sealed record OrderPaid(
    string OrderId,
    long Version,
    string WarehouseId,
    string PickingTaskId,
    DateTimeOffset OccurredAt,
    int ItemCount = 0) : IOrderNotification
{
    /// <inheritdoc />
    public OrderStatus Status => OrderStatus.Paid;
}

/// <summary>
/// The warehouse finished picking and handed the order over: delivery has started. When the warehouse named the rider
/// who took it, <see cref="RiderId"/> is that rider; otherwise dispatch assigns one (Tracking's <c>RiderAssigned</c>).
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="Version">The order's version after the hand-over.</param>
/// <param name="RiderId">The rider who took it at the warehouse; null when dispatch is to find one.</param>
/// <param name="WarehouseId">The warehouse it left.</param>
/// <param name="WarehouseLocation">Where the warehouse is (start of the route).</param>
/// <param name="DeliveryLocation">Where it is delivered (end of the route).</param>
/// <param name="PromisedDeliveryAt">When delivery was promised.</param>
/// <param name="OccurredAt">When it was handed over.</param>
public sealed record OrderPicked(
    string OrderId,
    long Version,
    string? RiderId,
    string WarehouseId,
    GeoCoordinate WarehouseLocation,
    GeoCoordinate DeliveryLocation,
    DateTimeOffset PromisedDeliveryAt,
    DateTimeOffset OccurredAt) : IOrderNotification
{
    /// <inheritdoc />
    public OrderStatus Status => OrderStatus.Delivering;
}

/// <summary>The rider delivered the order.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Version">The order's version after delivery.</param>
/// <param name="RiderId">The rider who delivered it.</param>
/// <param name="OccurredAt">When it was delivered.</param>
public sealed record OrderDelivered(
    string OrderId,
    long Version,
    string RiderId,
    DateTimeOffset OccurredAt) : IOrderNotification
{
    /// <inheritdoc />
    public OrderStatus Status => OrderStatus.Completed;
}

/// <summary>The order was cancelled before delivery started.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Version">The order's version after cancellation.</param>
/// <param name="PreviousStatus">The status it was cancelled from (1 or 2).</param>
/// <param name="Reason">Why it was cancelled.</param>
/// <param name="OccurredAt">When it was cancelled.</param>
public sealed record OrderCancelled(
    string OrderId,
    long Version,
    OrderStatus PreviousStatus,
    string Reason,
    DateTimeOffset OccurredAt) : IOrderNotification
{
    /// <inheritdoc />
    public OrderStatus Status => OrderStatus.Cancelled;
}
