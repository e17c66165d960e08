using Mediator;
using XiaoxiangTracking.Modules.Shared.Memory;
using XiaoxiangTracking.Modules.Orders.Contracts;

namespace XiaoxiangTracking.Modules.Tracking.Contracts;

/// <summary>Where the rider delivering an order was at a fix.</summary>
/// <param name="Latitude">WGS 84 latitude.</param>
/// <param name="Longitude">WGS 84 longitude.</param>
/// <param name="FixTime">When the rider's device took the fix.</param>
/// <param name="Speed">Speed in m/s, when reported.</param>
/// <param name="Heading">Heading in degrees from north, when reported.</param>
public sealed record LivePosition(double Latitude, double Longitude, DateTimeOffset FixTime, double? Speed, double? Heading);

/// <summary>When the order should arrive, with a confidence range.</summary>
/// <param name="EstimatedAt">The expected arrival time.</param>
/// <param name="Earliest">The early end of the likely range.</param>
/// <param name="Latest">The late end of the likely range.</param>
/// <param name="Learned">True when estimated from past deliveries in the same area and hour; false when from the default speed.</param>
/// <param name="Confidence">High, Medium or Low, from how well the delivery is being tracked; null in its first minute.</param>
public sealed record LiveEta(DateTimeOffset EstimatedAt, DateTimeOffset Earliest, DateTimeOffset Latest, bool Learned, string? Confidence = null);

/// <summary>Fields of an order's live state a change can take away (<see cref="OrderTrackingChanged.Cleared"/>).</summary>
[Flags]
public enum LiveFields
{
    /// <summary>Nothing cleared.</summary>
    None = 0,

    /// <summary>The rider's position: the order ended, or its new rider has not reported yet.</summary>
    Position = 1,

    /// <summary>The arrival estimate: the order ended.</summary>
    Eta = 2,
}

/// <summary>
/// A change of an order's live tracking state, as a delta: only the fields that changed are set, the rest are null, and
/// a field that no longer has a value is named in <see cref="Cleared"/>.
/// <see cref="Version"/> is the order's tracking version after the change; it increases by exactly one per change, so a
/// receiver that holds version <c>v</c> applies <c>v + 1</c> and, on seeing a gap, fetches the whole state again.
/// Status and rider changes are published at least once (outbox); position changes are published once after their
/// commit, and a lost one shows as a gap.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="Version">The tracking version after this change.</param>
/// <param name="Status">The new status (code 1–5), when it changed.</param>
/// <param name="RiderId">The new rider, when one was assigned.</param>
/// <param name="Position">The rider's new position, when the rider moved.</param>
/// <param name="Active">False once the order is completed or cancelled (its last change); null while unchanged.</param>
/// <param name="OccurredAt">When the change was recorded.</param>
/// <param name="Alerts">The alert types now open on the order, when that set changed (empty: none open).</param>
/// <param name="Eta">The new arrival estimate, when it changed by at least a minute.</param>
/// <param name="ReportedAt">For a move: when the server received the report that moved the rider.</param>
/// <param name="Cleared">The fields that no longer have a value after this change (a finished order has no position and no estimate).</param>
/// <param name="Collected">True when the rider has just collected the order at the warehouse; null while unchanged.</param>
public sealed record OrderTrackingChanged(
    string OrderId,
    long Version,
    OrderStatus? Status,
    string? RiderId,
    LivePosition? Position,
    bool? Active,
    DateTimeOffset OccurredAt,
    IReadOnlyList<AlertType>? Alerts = null,
    LiveEta? Eta = null,
    DateTimeOffset? ReportedAt = null,
    LiveFields Cleared = LiveFields.None,
    bool? Collected = null) : INotification
{
    /// <summary>The new rider, when one was assigned (the shared copy of the id: <see cref="Names"/>).</summary>
    public string? RiderId { get; init; } = Names.Shared(RiderId);

    /// <summary>The alert types now open on the order, when that set changed: one of <see cref="AlertSets"/>' shared lists.</summary>
    public IReadOnlyList<AlertType>? Alerts { get; init => field = AlertSets.Shared(value); } = AlertSets.Shared(Alerts);
}

/// <summary>
/// A change another instance of the host committed and relayed here (only when several instances run). For what each
/// instance keeps in memory — the live-state cache, the hub's fan-out — and nothing else: the instance that made the
/// change has already done its side effects (alert rules, webhooks) through <see cref="OrderTrackingChanged"/>.
/// </summary>
/// <param name="Change">The change, as published where it was made.</param>
/// <param name="WarehouseId">The order's warehouse, so an instance that never saw the order knows whose it is.</param>
public sealed record OrderTrackingChangedElsewhere(OrderTrackingChanged Change, string WarehouseId) : INotification;

/// <summary>
/// What a customer may see of the rider delivering their order, wherever it is shown (REST and hub): no rider id, no
/// alerts, and the rider's position only while the order is being delivered, rounded to
/// <see cref="PositionDecimals"/> places (about 11 m) without speed or heading — enough to watch the rider come, not a
/// precise trace of the rider.
/// </summary>
public static class CustomerView
{
    /// <summary>Decimal places of the position a customer sees.</summary>
    public const int PositionDecimals = 4;

    /// <summary>The position as the customer sees it; pass only positions of an order being delivered.</summary>
    public static LivePosition? Position(LivePosition? position) =>
        position is null
            ? null
            : new(Math.Round(position.Latitude, PositionDecimals), Math.Round(position.Longitude, PositionDecimals), position.FixTime, null, null);
}
