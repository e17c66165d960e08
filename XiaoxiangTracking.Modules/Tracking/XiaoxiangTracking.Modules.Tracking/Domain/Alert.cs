using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Tracking.Domain;

internal enum AlertStatus
{
    Open = 1,
    Acknowledged = 2,
    Resolved = 3,
}

/// <summary>
/// Something ops should look at on one order: open → acknowledged (an operator is on it) → resolved (by an operator,
/// or by itself when the condition clears or the order ends). A unique index allows one unresolved alert per order and
/// type, so rules evaluated twice or concurrently raise it once.
/// </summary>
internal sealed class Alert : AggregateRoot
{
    private Alert()
    {
    }

    public string Id { get; private set; } = string.Empty;

    public string OrderId { get; private set; } = string.Empty;

    public AlertType Type { get; private set; }

    public AlertStatus Status { get; private set; }

    public string? RiderId { get; private set; }

    /// <summary>Why, with its figures; null only on alerts stored before alerts carried them.</summary>
    public AlertFacts? Facts { get; private set; }

    /// <summary>The facts in an English sentence (<see cref="AlertFacts.Describe"/>).</summary>
    public string Detail { get; private set; } = string.Empty;

    public bool Retroactive { get; private set; }

    public double? Latitude { get; private set; }

    public double? Longitude { get; private set; }

    public DateTimeOffset RaisedAt { get; private set; }

    public DateTimeOffset? AcknowledgedAt { get; private set; }

    public string? AcknowledgedBy { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>The operator who resolved it; null when it resolved itself.</summary>
    public string? ResolvedBy { get; private set; }

    public static Alert Raise(
        string orderId, AlertType type, string? riderId, AlertFacts facts, GeoCoordinate? location, bool retroactive, DateTimeOffset now)
    {
        var alert = new Alert
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            OrderId = orderId,
            Type = type,
            Status = AlertStatus.Open,
            RiderId = riderId,
            Facts = facts,
            Detail = facts.Describe(riderId, retroactive),
            Retroactive = retroactive,
            Latitude = location?.Latitude,
            Longitude = location?.Longitude,
            RaisedAt = now,
        };
        alert.Raise(new AlertRaised(alert.Id, orderId, type, riderId, facts, alert.Detail, retroactive, now));
        return alert;
    }

    public void Acknowledge(string operatorId, DateTimeOffset now)
    {
        if (Status == AlertStatus.Resolved)
        {
            throw new RuleViolationException("alert_resolved", $"Alert {Id} is already resolved.");
        }

        if (Status == AlertStatus.Open)
        {
            Status = AlertStatus.Acknowledged;
            AcknowledgedAt = now;
            AcknowledgedBy = operatorId;
        }
    }

    /// <summary>Resolves it (<paramref name="operatorId"/> null: by itself); false when it already was.</summary>
    public bool Resolve(string? operatorId, DateTimeOffset now)
    {
        if (Status == AlertStatus.Resolved)
        {
            return false;
        }

        Status = AlertStatus.Resolved;
        ResolvedAt = now;
        ResolvedBy = operatorId;
        Raise(new AlertResolved(Id, OrderId, Type, operatorId, now));
        return true;
    }
}
