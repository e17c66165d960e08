namespace XiaoxiangTracking.Modules.Tracking.Domain;

/// <summary>
/// How many of its rider's fixes the filters refused while an order was being delivered: a measure of tracking quality,
/// counted by ingestion beside (not in) the order's live state, which no viewer sees it in.
/// </summary>
internal sealed class RejectedFixes
{
    private RejectedFixes()
    {
    }

    public RejectedFixes(string orderId, int count)
    {
        OrderId = orderId;
        Count = count;
    }

    public string OrderId { get; private set; } = string.Empty;

    public int Count { get; private set; }
}
