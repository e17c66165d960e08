namespace XiaoxiangTracking.Modules.Tracking.Domain;

/// <summary>
/// How fast one completed delivery went, as the ETA learns it: the straight-line warehouse → customer distance over the
/// time from pick-up to delivery, filed under the customer's area and the local hour of the pick-up.
/// </summary>
internal sealed class DeliverySpeed
{
    private DeliverySpeed()
    {
    }

    public DeliverySpeed(string orderId, string area, int hour, double meters, double seconds, DateTimeOffset completedAt)
    {
        OrderId = orderId;
        Area = area;
        Hour = hour;
        Meters = meters;
        Seconds = seconds;
        CompletedAt = completedAt;
    }

    public string OrderId { get; private set; } = string.Empty;

    /// <summary>Geohash prefix of the customer's location.</summary>
    public string Area { get; private set; } = string.Empty;

    /// <summary>Local hour of day (0–23) of the pick-up.</summary>
    public int Hour { get; private set; }

    public double Meters { get; private set; }

    public double Seconds { get; private set; }

    public DateTimeOffset CompletedAt { get; private set; }
}
