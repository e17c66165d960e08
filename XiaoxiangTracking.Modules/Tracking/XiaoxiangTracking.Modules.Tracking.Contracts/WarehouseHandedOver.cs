using Mediator;

namespace XiaoxiangTracking.Modules.Tracking.Contracts;

/// <summary>
/// The warehouse reported its last picking stage: the order was handed to a rider. Published after the report
/// committed; the Orders module moves the order to 3 Delivering.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="WarehouseId">The reporting warehouse.</param>
/// <param name="RiderId">The rider who took the order.</param>
/// <param name="OccurredAt">When it was handed over.</param>
public sealed record WarehouseHandedOver(string OrderId, string WarehouseId, string RiderId, DateTimeOffset OccurredAt) : INotification;
