using System.Security.Cryptography;

namespace XiaoxiangTracking.Modules.Notifications.Domain;

/// <summary>The events an integrator can subscribe to, by their wire names.</summary>
internal static class WebhookEventTypes
{
    public const string OrderPlaced = "order.placed";
    public const string OrderPaid = "order.paid";
    public const string OrderPicked = "order.picked";
    public const string OrderDelivered = "order.delivered";
    public const string OrderCancelled = "order.cancelled";
    public const string RiderAssigned = "rider.assigned";
    public const string AlertRaised = "alert.raised";
    public const string AlertResolved = "alert.resolved";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        OrderPlaced, OrderPaid, OrderPicked, OrderDelivered, OrderCancelled, RiderAssigned, AlertRaised, AlertResolved,
    };
}

/// <summary>An integrator's endpoint and the event types it receives, with the secret its deliveries are signed with.</summary>
internal sealed class WebhookSubscription
{
    private WebhookSubscription()
    {
    }

    public string Id { get; private set; } = string.Empty;

    public string Url { get; private set; } = string.Empty;

    public string Secret { get; private set; } = string.Empty;

    /// <summary>Event type names, comma-separated.</summary>
    public string EventTypes { get; private set; } = string.Empty;

    public bool Active { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyList<string> EventTypeList => EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static WebhookSubscription Register(Uri url, IEnumerable<string> eventTypes, string? secret, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now).ToString("N"),
        Url = url.AbsoluteUri,
        Secret = secret ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        EventTypes = string.Join(',', eventTypes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
        Active = true,
        CreatedAt = now,
    };

    public bool Wants(string eventType) => Active && EventTypeList.Contains(eventType, StringComparer.Ordinal);

    public void Deactivate() => Active = false;
}

internal enum DeliveryStatus
{
    Pending = 1,
    Succeeded = 2,
    Failed = 3,
}

/// <summary>One event to one subscription: the signed payload, and every attempt to deliver it.</summary>
internal sealed class WebhookDelivery
{
    private readonly List<WebhookAttempt> _attempts = [];

    private WebhookDelivery()
    {
    }

    public string Id { get; private set; } = string.Empty;

    public string SubscriptionId { get; private set; } = string.Empty;

    public string EventType { get; private set; } = string.Empty;

    /// <summary>What makes the event unique (order and version, or order and assignment): delivered once per subscription.</summary>
    public string EventKey { get; private set; } = string.Empty;

    /// <summary>The JSON body, exactly as signed and sent.</summary>
    public string Payload { get; private set; } = string.Empty;

    public DeliveryStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>While a sender holds the delivery, no other sender takes it.</summary>
    public DateTimeOffset? LeasedUntil { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>Concurrency token: two senders cannot both take the same attempt.</summary>
    public int Revision { get; private set; }

    public IReadOnlyList<WebhookAttempt> Attempts => _attempts;

    public static WebhookDelivery Create(string subscriptionId, string eventType, string eventKey, Func<string, string> payload, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now).ToString("N");
        return new WebhookDelivery
        {
            Id = id,
            SubscriptionId = subscriptionId,
            EventType = eventType,
            EventKey = eventKey,
            Payload = payload(id),
            Status = DeliveryStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    /// <summary>Takes the delivery for one attempt if it is pending, due and not held by another sender.</summary>
    public bool TryLease(DateTimeOffset now, TimeSpan lease)
    {
        if (Status != DeliveryStatus.Pending || NextAttemptAt > now || LeasedUntil > now)
        {
            return false;
        }

        LeasedUntil = now + lease;
        Revision++;
        return true;
    }

    /// <summary>Records an attempt; returns when to try again, or null when the delivery is finished (delivered or given up).</summary>
    public DateTimeOffset? Record(WebhookAttempt attempt, int maxAttempts, TimeSpan retryBaseDelay, TimeSpan maxRetryDelay)
    {
        _attempts.Add(attempt);
        LeasedUntil = null;
        Revision++;
        if (attempt.Succeeded)
        {
            Status = DeliveryStatus.Succeeded;
            DeliveredAt = attempt.At;
            NextAttemptAt = null;
            return null;
        }

        if (_attempts.Count >= maxAttempts)
        {
            Status = DeliveryStatus.Failed;
            NextAttemptAt = null;
            return null;
        }

        // Exponential back-off: base, 2 × base, 4 × base, … capped; on a whole second, since the job scheduler keeps
        // times to the second and must not wake the retry before it is due.
        var delay = TimeSpan.FromTicks(Math.Min(maxRetryDelay.Ticks, retryBaseDelay.Ticks * (1L << Math.Min(30, _attempts.Count - 1))));
        var due = attempt.At + delay;
        NextAttemptAt = DateTimeOffset.FromUnixTimeSeconds(due.ToUnixTimeSeconds() + (due.Ticks % TimeSpan.TicksPerSecond == 0 ? 0 : 1));
        return NextAttemptAt;
    }
}

/// <summary>One try: when, what the endpoint answered (or why there was no answer), how long it took.</summary>
internal sealed record WebhookAttempt(int Number, DateTimeOffset At, int? StatusCode, string? Error, int DurationMilliseconds)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
