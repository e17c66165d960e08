namespace XiaoxiangTracking.Modules.Orders.Domain;

internal enum PickingTaskStatus
{
    Pending = 1,
    Completed = 2,
    Cancelled = 3,
}

/// <summary>The warehouse's job of picking a paid order (created with the payment, seed: 生成拣货任务).</summary>
internal sealed class PickingTask
{
    private PickingTask()
    {
    }

    public PickingTask(string id, string orderId, string warehouseId, DateTimeOffset createdAt)
    {
        Id = id;
        OrderId = orderId;
        WarehouseId = warehouseId;
        CreatedAt = createdAt;
        Status = PickingTaskStatus.Pending;
    }

    public string Id { get; private set; } = string.Empty;

    public string OrderId { get; private set; } = string.Empty;

    public string WarehouseId { get; private set; } = string.Empty;

    public PickingTaskStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public void Complete(DateTimeOffset now) => Finish(PickingTaskStatus.Completed, now);

    public void Cancel(DateTimeOffset now) => Finish(PickingTaskStatus.Cancelled, now);

    private void Finish(PickingTaskStatus status, DateTimeOffset now)
    {
        if (Status == PickingTaskStatus.Pending)
        {
            Status = status;
            FinishedAt = now;
        }
    }
}
