using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Tracking.Domain;

/// <summary>
/// An order's live tracking state: its status, its rider, where that rider last was, and a version that increases by
/// exactly one with every change. Every method that changes it makes one version and raises its one
/// <see cref="OrderTrackingChanged"/> delta (which may carry no field a viewer sees). Only the <c>Live</c> folder
/// changes it: <c>LiveOrderStore</c> applies a <c>LiveChange</c> through these methods and saves it with its delta in
/// the outbox; <c>LivePositionUpdate</c> moves the position in the same shape, set-based. <see cref="Version"/> is the
/// concurrency token, so a change racing a move is applied again on top of it rather than overwriting it.
/// </summary>
internal sealed class LiveOrder : AggregateRoot
{
    private LiveOrder()
    {
    }

    public string OrderId { get; private set; } = string.Empty;

    public OrderStatus Status { get; private set; }

    /// <summary>The last Orders version applied: an order notification not newer than this is a repeat.</summary>
    public long OrderVersion { get; private set; }

    public string CustomerId { get; private set; } = string.Empty;

    public string WarehouseId { get; private set; } = string.Empty;

    public string DeliveryAddress { get; private set; } = string.Empty;

    public GeoCoordinate WarehouseLocation { get; private set; }

    public GeoCoordinate DeliveryLocation { get; private set; }

    public DateTimeOffset PromisedDeliveryAt { get; private set; }

    public string? RiderId { get; private set; }

    /// <summary>How many riders have been assigned (0 before the first); numbers the <see cref="RiderAssigned"/> facts.</summary>
    public int Assignment { get; private set; }

    /// <summary>True while the order is out for delivery without a rider: dispatch keeps trying.</summary>
    public bool AwaitingRider { get; private set; }

    public int DispatchAttempts { get; private set; }

    public DateTimeOffset? NextDispatchAt { get; private set; }

    /// <summary>When the rider reached the warehouse (or took the order there): the delivery ride starts.</summary>
    public DateTimeOffset? ArrivedAtWarehouseAt { get; private set; }

    /// <summary>When the rider first came within arrival distance of the customer.</summary>
    public DateTimeOffset? ArrivedAtCustomerAt { get; private set; }

    /// <summary>Items the warehouse picks.</summary>
    public int ItemCount { get; private set; }

    /// <summary>When payment was recorded: picking starts.</summary>
    public DateTimeOffset? PaidAt { get; private set; }

    /// <summary>When the warehouse handed the order over.</summary>
    public DateTimeOffset? HandedOverAt { get; private set; }

    /// <summary>When the current rider was assigned.</summary>
    public DateTimeOffset? AssignedAt { get; private set; }

    /// <summary>The alert types open on the order, as comma-separated codes (see <see cref="Alerts"/>).</summary>
    public string OpenAlerts { get; private set; } = string.Empty;

    public IReadOnlyList<AlertType> Alerts => AlertSets.Shared(
        OpenAlerts.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(code => (AlertType)int.Parse(code, System.Globalization.CultureInfo.InvariantCulture)));

    public DateTimeOffset? EtaAt { get; private set; }

    public DateTimeOffset? EtaEarliest { get; private set; }

    public DateTimeOffset? EtaLatest { get; private set; }

    public bool EtaLearned { get; private set; }

    public string? EtaConfidence { get; private set; }

    public LiveEta? Eta => EtaAt is { } at && EtaEarliest is { } earliest && EtaLatest is { } latest
        ? new LiveEta(at, earliest, latest, EtaLearned, EtaConfidence)
        : null;

    public double? Latitude { get; private set; }

    public double? Longitude { get; private set; }

    public DateTimeOffset? FixTime { get; private set; }

    public double? Speed { get; private set; }

    public double? Heading { get; private set; }

    /// <summary>False once the order is completed or cancelled.</summary>
    public bool IsActive { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public LivePosition? Position => Latitude is { } lat && Longitude is { } lng && FixTime is { } at
        ? new LivePosition(lat, lng, at, Speed, Heading)
        : null;

    /// <summary>The whole state at its version, as every reader and receiver of deltas holds it.</summary>
    public LiveOrderSnapshot ToSnapshot() =>
        new(OrderId, Version, Status, RiderId, Position, IsActive, CustomerId, WarehouseId, DeliveryLocation, DeliveryAddress, UpdatedAt,
            Alerts, Eta, ArrivedAtWarehouseAt is not null);

    public static LiveOrder Open(OrderPlaced placed, DateTimeOffset now)
    {
        var live = new LiveOrder
        {
            OrderId = placed.OrderId,
            Status = placed.Status,
            OrderVersion = placed.Version,
            CustomerId = placed.CustomerId,
            WarehouseId = placed.WarehouseId,
            DeliveryAddress = placed.DeliveryAddress,
            WarehouseLocation = placed.WarehouseLocation,
            DeliveryLocation = placed.DeliveryLocation,
            PromisedDeliveryAt = placed.PromisedDeliveryAt,
            IsActive = true,
            Version = 1,
            UpdatedAt = now,
        };
        live.Raise(new OrderTrackingChanged(live.OrderId, live.Version, live.Status, null, null, true, now));
        return live;
    }

    /// <summary>
    /// Applies an order change published by the Orders module, once: returns false for a repeat or a late delivery.
    /// Completion and cancellation end the live state.
    /// </summary>
    public bool ApplyOrderChange(IOrderNotification change, DateTimeOffset now, Func<LiveOrder, LiveEta?>? estimate = null)
    {
        if (change.Version <= OrderVersion)
        {
            return false;
        }

        OrderVersion = change.Version;
        if (change is OrderPaid paid)
        {
            PaidAt = paid.OccurredAt;
            ItemCount = paid.ItemCount;
        }

        if (change.Status == Status)
        {
            Changed(now, Unseen(now));
            return true;
        }

        Status = change.Status;
        if (Status is OrderStatus.Completed or OrderStatus.Cancelled)
        {
            // Ended: no rider on the way, nothing to expect and nothing to watch for, on every view.
            IsActive = false;
            AwaitingRider = false;
            NextDispatchAt = null;
            var alertsClosed = OpenAlerts.Length > 0 ? AlertSets.None : null;
            OpenAlerts = string.Empty;
            (Latitude, Longitude, FixTime, Speed, Heading) = (null, null, null, null, null);
            (EtaAt, EtaEarliest, EtaLatest, EtaLearned, EtaConfidence) = (null, null, null, false, null);
            Changed(now, new OrderTrackingChanged(OrderId, 0, Status, null, null, false, now, alertsClosed, Cleared: LiveFields.Position | LiveFields.Eta));
            return true;
        }

        var eta = estimate?.Invoke(this);
        if (eta is not null)
        {
            SetEta(eta);
        }

        Changed(now, new OrderTrackingChanged(OrderId, 0, Status, null, null, null, now, null, eta));
        return true;
    }

    /// <summary>
    /// Delivery started. With the rider the warehouse named, that is the first assignment; without one the order
    /// waits for dispatch, which tries at once and then every retry interval.
    /// </summary>
    public bool StartDelivery(OrderPicked picked, RiderFix? riderFix, Func<LiveOrder, LiveEta> estimate, DateTimeOffset now)
    {
        if (picked.Version <= OrderVersion)
        {
            return false;
        }

        OrderVersion = picked.Version;
        Status = picked.Status;
        HandedOverAt = picked.OccurredAt;
        if (picked.RiderId is { } riderId)
        {
            // Handed over at the warehouse: the rider is there and has it.
            ArrivedAtWarehouseAt = picked.OccurredAt;
            AssignTo(riderId, riderFix, AssignmentSource.Warehouse, null, null, estimate, now, collected: true);
        }
        else
        {
            AwaitingRider = true;
            NextDispatchAt = now;
            var eta = estimate(this);
            SetEta(eta);
            Changed(now, new OrderTrackingChanged(OrderId, 0, Status, null, null, null, now, null, eta));
        }

        return true;
    }

    /// <summary>
    /// Gives the order to <paramref name="riderId"/> (dispatch's choice or an operator's), starting from the rider's
    /// latest fix and a first arrival estimate, so the customer sees the rider and the ETA at once.
    /// </summary>
    public void Assign(
        string riderId, RiderFix? riderFix, AssignmentSource source, string? operatorId, double? distanceMeters, Func<LiveOrder, LiveEta> estimate, DateTimeOffset now)
    {
        if (!IsActive || Status != OrderStatus.Delivering)
        {
            throw new Shared.Errors.RuleViolationException(
                "not_delivering",
                $"Order {OrderId} is {Status} ({(int)Status}); a rider is assigned only while it is Delivering (3).",
                new Dictionary<string, object?> { ["currentStatus"] = (int)Status });
        }

        AssignTo(riderId, riderFix, source, operatorId, distanceMeters, estimate, now);
    }

    /// <summary>The alerts open on the order are now <paramref name="open"/>; false when that is the set already open.</summary>
    public bool SetAlerts(IEnumerable<AlertType> open, DateTimeOffset now)
    {
        var set = AlertSets.Shared(open.Distinct());
        if (set.SequenceEqual(Alerts))
        {
            return false;
        }

        OpenAlerts = string.Join(',', set.Select(a => ((int)a).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Changed(now, new OrderTrackingChanged(OrderId, 0, null, null, null, null, now, set));
        return true;
    }

    /// <summary>
    /// A new arrival estimate (always the newest, as shown: see <c>EtaModel.Bound</c>); a change only when it differs
    /// from the current one. Only an order on its way has one.
    /// </summary>
    public bool UpdateEta(LiveEta eta, DateTimeOffset now)
    {
        if (Status is not (OrderStatus.Paid or OrderStatus.Delivering) || !IsActive || eta == Eta)
        {
            return false;
        }

        SetEta(eta);
        Changed(now, new OrderTrackingChanged(OrderId, 0, null, null, null, null, now, null, eta));
        return true;
    }

    /// <summary>
    /// The rider came within arrival distance of the warehouse (and collected the order there) at
    /// <paramref name="atWarehouse"/>, and/or of the customer at <paramref name="atCustomer"/>; false when nothing new.
    /// </summary>
    public bool Arrive(DateTimeOffset? atWarehouse, DateTimeOffset? atCustomer, DateTimeOffset now)
    {
        var collected = atWarehouse is not null && ArrivedAtWarehouseAt is null;
        var atDoor = atCustomer is not null && ArrivedAtCustomerAt is null;
        if (!collected && !atDoor)
        {
            return false;
        }

        ArrivedAtWarehouseAt = collected ? atWarehouse : ArrivedAtWarehouseAt;
        ArrivedAtCustomerAt = atDoor ? atCustomer : ArrivedAtCustomerAt;
        Changed(now, new OrderTrackingChanged(OrderId, 0, null, null, null, null, now, Collected: collected ? true : null));
        return true;
    }

    /// <summary>No rider was available: try again after <paramref name="retryAfter"/>.</summary>
    public void DispatchFailed(DateTimeOffset now, TimeSpan retryAfter)
    {
        DispatchAttempts++;
        NextDispatchAt = now + retryAfter;
        Changed(now, Unseen(now));
    }

    private void AssignTo(
        string riderId, RiderFix? riderFix, AssignmentSource source, string? operatorId, double? distanceMeters, Func<LiveOrder, LiveEta> estimate, DateTimeOffset now,
        bool collected = false)
    {
        var previous = RiderId;
        RiderId = riderId;
        AssignedAt = now;
        Assignment++;
        AwaitingRider = false;
        NextDispatchAt = null;
        LivePosition? position = null;
        if (riderFix is not null)
        {
            position = new LivePosition(riderFix.Latitude, riderFix.Longitude, riderFix.FixTime, riderFix.Speed, riderFix.Heading);
        }

        (Latitude, Longitude, FixTime, Speed, Heading) = (position?.Latitude, position?.Longitude, position?.FixTime, position?.Speed, position?.Heading);
        var eta = estimate(this);
        SetEta(eta);
        Raise(new RiderAssigned(OrderId, riderId, previous, Assignment, source, operatorId, distanceMeters, now));
        Changed(now, new OrderTrackingChanged(OrderId, 0, Status, riderId, position, null, now, null, eta,
            Cleared: position is null ? LiveFields.Position : LiveFields.None, Collected: collected ? true : null));
    }

    private void SetEta(LiveEta eta) =>
        (EtaAt, EtaEarliest, EtaLatest, EtaLearned, EtaConfidence) = (eta.EstimatedAt, eta.Earliest, eta.Latest, eta.Learned, eta.Confidence);

    /// <summary>A change no viewer sees (dispatch's bookkeeping, the Orders version): a version with an empty delta.</summary>
    private OrderTrackingChanged Unseen(DateTimeOffset now) => new(OrderId, 0, null, null, null, null, now);

    private void Changed(DateTimeOffset now, OrderTrackingChanged delta)
    {
        Version++;
        UpdatedAt = now;
        Raise(delta with { Version = Version });
    }
}
