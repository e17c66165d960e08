namespace XiaoxiangTracking.Modules.Orders.Contracts;

/// <summary>
/// Order status codes. The numbers are part of the public contract (clients already use them) and never change.
/// </summary>
public enum OrderStatus
{
    /// <summary>1 待支付 — placed, waiting for payment.</summary>
    PendingPayment = 1,

    /// <summary>2 已支付 — paid; the warehouse is picking (customer label 仓库处理中).</summary>
    Paid = 2,

    /// <summary>3 配送中 — picked and handed to a rider, on the way.</summary>
    Delivering = 3,

    /// <summary>4 已完成 — delivered (customer label 已送达).</summary>
    Completed = 4,

    /// <summary>5 已取消 — cancelled.</summary>
    Cancelled = 5,
}
