using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Shared.Errors;

namespace XiaoxiangTracking.Modules.Orders.Domain;

/// <summary>
/// The order aggregate. It owns its status transitions (<see cref="OrderStatusMachine"/>), raises a notification for
/// each, and increments <see cref="Version"/> with every change; the version is also the optimistic concurrency token,
/// so of two concurrent transitions only one can commit.
/// </summary>
internal sealed class Order : AggregateRoot
{
    private readonly List<OrderLine> _lines = [];

    private Order()
    {
    }

    public string Id { get; private set; } = string.Empty;

    public string CustomerId { get; private set; } = string.Empty;

    public OrderStatus Status { get; private set; }

    public IReadOnlyList<OrderLine> Lines => _lines;

    public decimal TotalAmount { get; private set; }

    public DeliveryAddress DeliveryAddress { get; private set; } = null!;

    public string WarehouseId { get; private set; } = string.Empty;

    public GeoCoordinate WarehouseLocation { get; private set; }

    public DateTimeOffset PromisedDeliveryAt { get; private set; }

    public string? RiderId { get; private set; }

    /// <summary>The number of the rider assignment <see cref="RiderId"/> came from (0 before any).</summary>
    public int RiderAssignment { get; private set; }

    public string? PaymentReference { get; private set; }

    public string? CancellationReason { get; private set; }

    public PickingTask? PickingTask { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public DateTimeOffset? PickedAt { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    public DateTimeOffset? CancelledAt { get; private set; }

    public long Version { get; private set; }

    public static Order Place(
        string customerId,
        IEnumerable<(string Sku, string Name, int Quantity, decimal UnitPrice)> lines,
        DeliveryAddress deliveryAddress,
        string warehouseId,
        GeoCoordinate warehouseLocation,
        DateTimeOffset promisedDeliveryAt,
        DateTimeOffset now)
    {
        var order = new Order
        {
            // Time-ordered, 32 characters as in the seed schema; keeps inserts at the end of the primary-key index.
            Id = Guid.CreateVersion7(now).ToString("N"),
            CustomerId = customerId,
            Status = OrderStatus.PendingPayment,
            DeliveryAddress = deliveryAddress,
            WarehouseId = warehouseId,
            WarehouseLocation = warehouseLocation,
            PromisedDeliveryAt = promisedDeliveryAt,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        var number = 0;
        foreach (var (sku, name, quantity, unitPrice) in lines)
        {
            order._lines.Add(new OrderLine(++number, sku, name, quantity, unitPrice));
        }

        order.TotalAmount = Money.TwoDecimals(order._lines.Sum(l => l.LineTotal));
        order.Raise(new OrderPlaced(order.Id, order.Version, customerId, warehouseId, warehouseLocation,
            deliveryAddress.Location, deliveryAddress.Text, promisedDeliveryAt, now));
        return order;
    }

    /// <summary>Records a successful payment of exactly the order total and creates the picking task.</summary>
    public void Pay(string paymentReference, decimal amount, DateTimeOffset now)
    {
        var next = Transition(OrderAction.Pay);
        if (amount != TotalAmount)
        {
            throw new RuleViolationException(
                "payment_amount_mismatch",
                $"Payment of {amount:0.00} does not match the order total {TotalAmount:0.00}.",
                new Dictionary<string, object?> { ["totalAmount"] = TotalAmount, ["paidAmount"] = amount });
        }

        PaymentReference = paymentReference;
        PaidAt = now;
        PickingTask = new PickingTask(Guid.CreateVersion7(now).ToString("N"), Id, WarehouseId, now);
        Commit(next, now);
        Raise(new OrderPaid(Id, Version, WarehouseId, PickingTask.Id, now, _lines.Sum(l => l.Quantity)));
    }

    /// <summary>
    /// The warehouse finished picking and handed the order over, to <paramref name="riderId"/> when it names the rider
    /// who took it; otherwise dispatch assigns one later (<see cref="AssignRider"/>).
    /// </summary>
    public void MarkPicked(string warehouseId, string? riderId, DateTimeOffset now)
    {
        var next = Transition(OrderAction.MarkPicked);
        if (!string.Equals(warehouseId, WarehouseId, StringComparison.Ordinal))
        {
            throw new RuleViolationException(
                "wrong_warehouse",
                $"Order {Id} is picked by warehouse {WarehouseId}, not {warehouseId}.",
                new Dictionary<string, object?> { ["warehouseId"] = WarehouseId });
        }

        PickingTask?.Complete(now);
        if (riderId is not null)
        {
            // The warehouse's hand-over is the order's first assignment (Tracking records it as number 1 too).
            RiderId = riderId;
            RiderAssignment = 1;
        }

        PickedAt = now;
        Commit(next, now);
        Raise(new OrderPicked(Id, Version, riderId, WarehouseId, WarehouseLocation, DeliveryAddress.Location,
            PromisedDeliveryAt, now));
    }

    /// <summary>
    /// Records the rider Tracking assigned (dispatch, an operator, or the warehouse's hand-over) while the order is
    /// being delivered. Assignments are numbered; one not newer than the recorded one is a repeat or arrived late, and
    /// changes nothing (returns false). The version increases, so a delivery racing a reassignment loses one of them.
    /// </summary>
    public bool AssignRider(string riderId, int assignment, DateTimeOffset now)
    {
        if (assignment <= RiderAssignment)
        {
            return false;
        }

        if (Status != OrderStatus.Delivering)
        {
            throw new RuleViolationException(
                "not_delivering",
                $"Order {Id} is {Status} ({(int)Status}); a rider is assigned only while it is Delivering (3).",
                new Dictionary<string, object?> { ["currentStatus"] = (int)Status });
        }

        RiderId = riderId;
        RiderAssignment = assignment;
        UpdatedAt = now;
        Version++;
        return true;
    }

    /// <summary>The assigned rider delivered the order.</summary>
    public void MarkDelivered(string riderId, DateTimeOffset now)
    {
        var next = Transition(OrderAction.MarkDelivered);
        if (!string.Equals(riderId, RiderId, StringComparison.Ordinal))
        {
            throw new RuleViolationException(
                "not_assigned_rider",
                $"Order {Id} is not assigned to rider {riderId}.");
        }

        DeliveredAt = now;
        Commit(next, now);
        Raise(new OrderDelivered(Id, Version, riderId, now));
    }

    /// <summary>Cancels an order that is waiting for payment or being picked.</summary>
    public void Cancel(string reason, DateTimeOffset now)
    {
        var previous = Status;
        var next = Transition(OrderAction.Cancel);
        CancellationReason = reason;
        CancelledAt = now;
        PickingTask?.Cancel(now);
        Commit(next, now);
        Raise(new OrderCancelled(Id, Version, previous, reason, now));
    }

    private OrderStatus Transition(OrderAction action) =>
        OrderStatusMachine.Next(Status, action) ?? throw new RuleViolationException(
            "illegal_transition",
            $"Order {Id} is {Status} ({(int)Status}) and cannot be {OrderStatusMachine.Describe(action)}.",
            new Dictionary<string, object?>
            {
                ["currentStatus"] = (int)Status,
                ["currentStatusName"] = Status.ToString(),
                ["action"] = action.ToString(),
            });

    private void Commit(OrderStatus next, DateTimeOffset now)
    {
        Status = next;
        UpdatedAt = now;
        Version++;
    }
}
