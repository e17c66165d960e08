using Mediator;

namespace XiaoxiangTracking.Modules.Tracking.Contracts;

/// <summary>How a rider came to deliver an order.</summary>
public enum AssignmentSource
{
    /// <summary>The warehouse handed the order to a rider waiting there.</summary>
    Warehouse = 1,

    /// <summary>Dispatch chose the nearest available rider.</summary>
    Dispatch = 2,

    /// <summary>An operator assigned (or reassigned) the rider by hand.</summary>
    Operator = 3,
}

/// <summary>
/// A rider now delivers the order (the first assignment or a reassignment). Published after the assignment committed,
/// at least once; <see cref="Assignment"/> numbers an order's assignments 1, 2, … so handlers can drop stale or repeated
/// deliveries.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="RiderId">The rider who delivers it from now on.</param>
/// <param name="PreviousRiderId">The rider replaced by a reassignment; null for the first assignment.</param>
/// <param name="Assignment">1 for the first assignment of the order, then one more per reassignment.</param>
/// <param name="Source">Warehouse hand-over, dispatch or an operator.</param>
/// <param name="OperatorId">The operator who assigned by hand; null otherwise.</param>
/// <param name="DistanceMeters">For dispatch: the rider's distance to the warehouse when chosen.</param>
/// <param name="OccurredAt">When the assignment was made.</param>
public sealed record RiderAssigned(
    string OrderId,
    string RiderId,
    string? PreviousRiderId,
    int Assignment,
    AssignmentSource Source,
    string? OperatorId,
    double? DistanceMeters,
    DateTimeOffset OccurredAt) : INotification;
