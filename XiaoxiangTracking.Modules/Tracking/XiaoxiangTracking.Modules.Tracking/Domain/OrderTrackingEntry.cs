using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Tracking.Domain;

/// <summary>Who reported a tracking entry (seed: operator_type 1 rider, 2 warehouse).</summary>
internal enum OperatorType
{
    Rider = 1,
    Warehouse = 2,
}

/// <summary>The picking stages a warehouse reports (seed: 仓库系统在商品分拣各阶段上报状态).</summary>
internal enum WarehouseStage
{
    Received = 1,
    Picking = 2,
    Packed = 3,
    HandedOver = 4,
}

/// <summary>
/// A row of the seed's <c>order_tracking</c> table: an order's status at a moment, where it was and who reported it.
/// </summary>
internal sealed class OrderTrackingEntry : AggregateRoot
{
    private OrderTrackingEntry()
    {
    }

    public OrderTrackingEntry(
        string orderId,
        long? orderVersion,
        string eventType,
        byte status,
        double? latitude,
        double? longitude,
        string? address,
        string? operatorId,
        OperatorType? operatorType,
        DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt).ToString("N");
        OrderId = orderId;
        OrderVersion = orderVersion;
        EventType = eventType;
        Status = status;
        Latitude = latitude;
        Longitude = longitude;
        Address = address;
        OperatorId = operatorId;
        OperatorType = operatorType;
        CreatedAt = createdAt;
    }

    /// <summary>A warehouse's stage report; the hand-over also tells the Orders module that delivery starts.</summary>
    public static OrderTrackingEntry ForWarehouseStage(
        string orderId, WarehouseStage stage, string warehouseId, string? riderId, DateTimeOffset now)
    {
        var entry = new OrderTrackingEntry(orderId, null, StageEvent(stage), 2, null, null, null, warehouseId,
            Domain.OperatorType.Warehouse, now);
        if (stage == WarehouseStage.HandedOver)
        {
            entry.Raise(new WarehouseHandedOver(orderId, warehouseId, riderId!, now));
        }

        return entry;
    }

    /// <summary>A rider was assigned to the order (hand-over, dispatch or an operator), where the rider was then.</summary>
    public static OrderTrackingEntry ForAssignment(LiveOrder live, RiderFix? riderFix, DateTimeOffset now) =>
        new(live.OrderId, null, AssignmentEvent, (byte)live.Status, riderFix?.Latitude, riderFix?.Longitude, null, live.RiderId,
            Domain.OperatorType.Rider, now);

    public const string AssignmentEvent = "RiderAssigned";

    /// <summary>The rider entered the arrival radius of the warehouse or the customer (geofence).</summary>
    public static OrderTrackingEntry ForArrival(LiveOrder live, string eventType, Shared.Domain.GeoCoordinate at, DateTimeOffset fixTime) =>
        new(live.OrderId, null, eventType, (byte)live.Status, at.Latitude, at.Longitude, null, live.RiderId, Domain.OperatorType.Rider, fixTime);

    public const string ArrivedAtWarehouseEvent = "ArrivedAtWarehouse";

    public const string ArrivedAtCustomerEvent = "ArrivedAtCustomer";

    /// <summary>An alert raised or resolved on the order, where the rider was (when known).</summary>
    public static OrderTrackingEntry ForAlert(Alert alert, byte status, bool raised, DateTimeOffset now) =>
        new(alert.OrderId, null, $"{alert.Type}Alert{(raised ? "Raised" : "Resolved")}", status, alert.Latitude, alert.Longitude,
            alert.Detail, raised ? alert.RiderId : alert.ResolvedBy, raised && alert.RiderId is not null ? Domain.OperatorType.Rider : null, now);

    public static string StageEvent(WarehouseStage stage) => $"Warehouse{stage}";

    public static bool IsAlertEvent(string eventType) =>
        eventType.EndsWith("AlertRaised", StringComparison.Ordinal) || eventType.EndsWith("AlertResolved", StringComparison.Ordinal);

    public string Id { get; private set; } = string.Empty;

    public string OrderId { get; private set; } = string.Empty;

    /// <summary>
    /// The order's version for entries that record an order change (one entry per version, however often the
    /// notification is delivered); null for entries that are not order changes (warehouse stages, arrivals).
    /// </summary>
    public long? OrderVersion { get; private set; }

    /// <summary>What happened, e.g. <c>OrderPaid</c>.</summary>
    public string EventType { get; private set; } = string.Empty;

    /// <summary>The order status code (1–5) at this entry.</summary>
    public byte Status { get; private set; }

    public double? Latitude { get; private set; }

    public double? Longitude { get; private set; }

    public string? Address { get; private set; }

    public string? OperatorId { get; private set; }

    public OperatorType? OperatorType { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
