using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Live;

/// <summary>
/// One change of an order's live state, as a feature decides it (from the state it was shown) and
/// <see cref="LiveOrderStore"/> applies it: exactly one new version and its delta, plus the timeline entries that record
/// it. Estimates are functions of the order as changed, so an ETA always describes the state it is saved with.
/// </summary>
internal abstract record LiveChange
{
    /// <summary>Applies the change; false when it changes nothing (a repeat, or what is already so).</summary>
    internal abstract bool Apply(LiveOrder live, TrackingDbContext db, DateTimeOffset now);

    /// <summary>A status change from the Orders module (paid, delivered, cancelled), with a new estimate while on its way.</summary>
    public sealed record OrderChanged(IOrderNotification Change, Func<LiveOrder, LiveEta?>? Estimate = null) : LiveChange
    {
        internal override bool Apply(LiveOrder live, TrackingDbContext db, DateTimeOffset now) => live.ApplyOrderChange(Change, now, Estimate);
    }

    /// <summary>The warehouse handed the order over: with its rider, or to wait for dispatch.</summary>
    public sealed record DeliveryStarted(OrderPicked Picked, RiderFix? RiderFix, Func<LiveOrder, LiveEta> Estimate) : LiveChange
    {
        internal override bool Apply(LiveOrder live, TrackingDbContext db, DateTimeOffset now)
        {
            if (!live.StartDelivery(Picked, RiderFix, Estimate, now))
            {
                return false;
            }

            if (live.RiderId is not null)
            {
                db.OrderTracking.Add(OrderTrackingEntry.ForAssignment(live, RiderFix, Picked.OccurredAt));
            }

            return true;
        }
    }

    /// <summary>A rider for the order, chosen by dispatch or an operator.</summary>
    public sealed record Assignment(
        string RiderId, RiderFix? RiderFix, AssignmentSource Source, string? OperatorId, double? DistanceMeters, Func<LiveOrder, LiveEta> Estimate) : LiveChange
    {
        internal override bool Apply(LiveOrder live, TrackingDbContext db, DateTimeOffset now)
        {
            live.Assign(RiderId, RiderFix, Source, OperatorId, DistanceMeters, Estimate, now);
            db.OrderTracking.Add(OrderTrackingEntry.ForAssignment(live, RiderFix, now));
            return true;
        }
    }

    /// <summary>Dispatch found no rider: the order waits <paramref name="RetryAfter"/> for the next try.</summary>
    public sealed record NoRiderFound(TimeSpan RetryAfter) : LiveChange
    {
        internal override bool Apply(LiveOrder live, TrackingDbContext db, DateTimeOffset now)
        {
            live.DispatchFailed(now, RetryAfter);
            return true;
        }
    }

    /// <summary>The alert types open on the order are now <paramref name="Open"/>.</summary>
    public sealed record AlertsChanged(IEnumerable<AlertType> Open) : LiveChange
    {
        internal override bool Apply(LiveOrder live, TrackingDbContext db, DateTimeOffset now) => live.SetAlerts(Open, now);
    }

    /// <summary>A new arrival estimate (as shown).</summary>
    public sealed record EtaChanged(LiveEta Eta) : LiveChange
    {
        internal override bool Apply(LiveOrder live, TrackingDbContext db, DateTimeOffset now) => live.UpdateEta(Eta, now);
    }

    /// <summary>The rider's first fixes inside the arrival radius of the warehouse and/or of the customer's door.</summary>
    public sealed record Arrived(GeoCoordinate? WarehouseAt, DateTimeOffset? WarehouseFixTime, GeoCoordinate? CustomerAt, DateTimeOffset? CustomerFixTime) : LiveChange
    {
        internal override bool Apply(LiveOrder live, TrackingDbContext db, DateTimeOffset now)
        {
            var collecting = WarehouseFixTime is not null && live.ArrivedAtWarehouseAt is null;
            var atDoor = CustomerFixTime is not null && live.ArrivedAtCustomerAt is null;
            if (!live.Arrive(WarehouseFixTime, CustomerFixTime, now))
            {
                return false;
            }

            if (collecting)
            {
                db.OrderTracking.Add(OrderTrackingEntry.ForArrival(live, OrderTrackingEntry.ArrivedAtWarehouseEvent, WarehouseAt!.Value, WarehouseFixTime!.Value));
            }

            if (atDoor)
            {
                db.OrderTracking.Add(OrderTrackingEntry.ForArrival(live, OrderTrackingEntry.ArrivedAtCustomerEvent, CustomerAt!.Value, CustomerFixTime!.Value));
            }

            return true;
        }
    }
}
