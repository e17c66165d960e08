using Mediator;

namespace XiaoxiangTracking.Modules.Tracking.Contracts;

/// <summary>
/// The warehouse reported its last picking stage: the order left the warehouse's hands. Published after the report
/// committed; the Orders module moves the order to 3 Delivering.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="WarehouseId">The reporting warehouse.</param>
/// <param name="RiderId">The rider who took the order at the warehouse; null when dispatch is to find one.</param>
/// <param name="OccurredAt">When it was handed over.</param>
public sealed record WarehouseHandedOver(string OrderId, string WarehouseId, string? RiderId, DateTimeOffset OccurredAt) : INotification;
