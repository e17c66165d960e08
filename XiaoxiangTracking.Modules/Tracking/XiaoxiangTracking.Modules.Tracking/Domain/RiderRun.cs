using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;

namespace XiaoxiangTracking.Modules.Tracking.Domain;

/// <summary>
/// The orders one rider carries, in the order they are delivered: those collected at the warehouse first, by
/// assignment, then those still to collect. The rider is riding to the first collected one; only that order's door
/// counts as an arrival and only its route as the way to ride — a rider passing another customer's door on the way, or
/// riding to someone else first, is not there and not lost.
/// </summary>
internal sealed class RiderRun
{
    private readonly List<LiveOrder> _sequence;

    public RiderRun(IEnumerable<LiveOrder> carried) =>
        _sequence = [.. carried
            .Where(l => l is { IsActive: true, Status: OrderStatus.Delivering })
            .OrderBy(l => l.ArrivedAtWarehouseAt is null)
            .ThenBy(l => l.AssignedAt)
            .ThenBy(l => l.OrderId, StringComparer.Ordinal)];

    /// <summary>The order the rider is riding to: the first collected one not yet handed over; null while collecting.</summary>
    public string? RidingTo => _sequence.FirstOrDefault(l => l.ArrivedAtWarehouseAt is not null)?.OrderId;

    /// <summary>Whether the rider is riding to <paramref name="order"/> now.</summary>
    public bool IsRidingTo(LiveOrder order) => RidingTo == order.OrderId;

    /// <summary>
    /// The distance left for <paramref name="order"/> from where the rider is: through the doors of the collected orders
    /// delivered before it, then — if it is still to collect — through the warehouse.
    /// </summary>
    public double RemainingMeters(LiveOrder order, GeoCoordinate from)
    {
        if (order.ArrivedAtCustomerAt is not null)
        {
            return 0;
        }

        var meters = 0.0;
        var at = from;
        foreach (var ahead in _sequence.TakeWhile(l => l.OrderId != order.OrderId)
                     .Where(l => l is { ArrivedAtWarehouseAt: not null, ArrivedAtCustomerAt: null }))
        {
            meters += GeoDistance.Meters(at, ahead.DeliveryLocation);
            at = ahead.DeliveryLocation;
        }

        if (order.ArrivedAtWarehouseAt is null)
        {
            meters += GeoDistance.Meters(at, order.WarehouseLocation);
            at = order.WarehouseLocation;
        }

        return meters + GeoDistance.Meters(at, order.DeliveryLocation);
    }
}
