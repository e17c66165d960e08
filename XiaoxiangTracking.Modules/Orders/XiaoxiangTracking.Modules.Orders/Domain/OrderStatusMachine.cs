using XiaoxiangTracking.Modules.Orders.Contracts;

namespace XiaoxiangTracking.Modules.Orders.Domain;

/// <summary>What may be done to an order after it is placed.</summary>
internal enum OrderAction
{
    Pay,
    MarkPicked,
    MarkDelivered,
    Cancel,
}

/// <summary>
/// The seed's status flow: place → 1; pay 1 → 2; warehouse picked 2 → 3 (with a rider); rider delivered 3 → 4;
/// cancel 1 or 2 → 5. Every other (status, action) pair is illegal.
/// </summary>
internal static class OrderStatusMachine
{
    public static OrderStatus? Next(OrderStatus current, OrderAction action) => (current, action) switch
    {
        (OrderStatus.PendingPayment, OrderAction.Pay) => OrderStatus.Paid,
        (OrderStatus.Paid, OrderAction.MarkPicked) => OrderStatus.Delivering,
        (OrderStatus.Delivering, OrderAction.MarkDelivered) => OrderStatus.Completed,
        (OrderStatus.PendingPayment or OrderStatus.Paid, OrderAction.Cancel) => OrderStatus.Cancelled,
        _ => null,
    };

    public static string Describe(OrderAction action) => action switch
    {
        OrderAction.Pay => "paid",
        OrderAction.MarkPicked => "marked picked",
        OrderAction.MarkDelivered => "marked delivered",
        OrderAction.Cancel => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}
