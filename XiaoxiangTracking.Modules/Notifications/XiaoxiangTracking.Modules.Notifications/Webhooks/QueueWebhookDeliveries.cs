using System.Text.Json;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Notifications.Persistence;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Notifications.Domain;

namespace XiaoxiangTracking.Modules.Notifications.Webhooks;

/// <summary>
/// Turns the order lifecycle and rider assignments into webhook deliveries: one per subscription that wants the event,
/// stored once per (subscription, event) however often the notification arrives, then handed to a Hangfire job. The
/// slow part — calling the integrator — never runs here. A delivery whose job was lost (a restart) is picked up by the
/// sweep.
/// </summary>
internal sealed class QueueWebhookDeliveries(NotificationsDbContext db, IBackgroundJobClient jobs, TimeProvider clock) :
    INotificationHandler<OrderPlaced>,
    INotificationHandler<OrderPaid>,
    INotificationHandler<OrderPicked>,
    INotificationHandler<OrderDelivered>,
    INotificationHandler<OrderCancelled>,
    INotificationHandler<RiderAssigned>,
    INotificationHandler<AlertRaised>,
    INotificationHandler<AlertResolved>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ValueTask Handle(OrderPlaced notification, CancellationToken cancellationToken) =>
        QueueAsync(WebhookEventTypes.OrderPlaced, notification, new { notification.WarehouseId, notification.PromisedDeliveryAt }, cancellationToken);

    public ValueTask Handle(OrderPaid notification, CancellationToken cancellationToken) =>
        QueueAsync(WebhookEventTypes.OrderPaid, notification, new { notification.WarehouseId }, cancellationToken);

    public ValueTask Handle(OrderPicked notification, CancellationToken cancellationToken) =>
        QueueAsync(WebhookEventTypes.OrderPicked, notification, new { notification.WarehouseId, notification.RiderId }, cancellationToken);

    public ValueTask Handle(OrderDelivered notification, CancellationToken cancellationToken) =>
        QueueAsync(WebhookEventTypes.OrderDelivered, notification, new { notification.RiderId }, cancellationToken);

    public ValueTask Handle(OrderCancelled notification, CancellationToken cancellationToken) =>
        QueueAsync(WebhookEventTypes.OrderCancelled, notification,
            new { PreviousStatus = (int)notification.PreviousStatus, notification.Reason }, cancellationToken);

    public ValueTask Handle(RiderAssigned notification, CancellationToken cancellationToken) =>
        QueueAsync(WebhookEventTypes.RiderAssigned, $"{notification.OrderId}:assignment:{notification.Assignment}", notification.OccurredAt,
            new
            {
                notification.OrderId,
                notification.RiderId,
                notification.PreviousRiderId,
                notification.Assignment,
                Source = notification.Source.ToString(),
            },
            cancellationToken);

    public ValueTask Handle(AlertRaised notification, CancellationToken cancellationToken) =>
        QueueAsync(WebhookEventTypes.AlertRaised, $"{notification.AlertId}:raised", notification.OccurredAt,
            new
            {
                notification.AlertId,
                notification.OrderId,
                Type = notification.Type.ToString(),
                notification.RiderId,
                notification.Facts,
                notification.Detail,
                notification.Retroactive,
            },
            cancellationToken);

    public ValueTask Handle(AlertResolved notification, CancellationToken cancellationToken) =>
        QueueAsync(WebhookEventTypes.AlertResolved, $"{notification.AlertId}:resolved", notification.OccurredAt,
            new { notification.AlertId, notification.OrderId, Type = notification.Type.ToString(), notification.ResolvedBy },
            cancellationToken);

    private ValueTask QueueAsync(string eventType, IOrderNotification change, object details, CancellationToken cancellationToken) =>
        QueueAsync(eventType, $"{change.OrderId}:v{change.Version}", change.OccurredAt,
            new Dictionary<string, object?>
            {
                ["orderId"] = change.OrderId,
                ["orderVersion"] = change.Version,
                ["status"] = (int)change.Status,
                ["details"] = details,
            },
            cancellationToken);

    private async ValueTask QueueAsync(string eventType, string eventKey, DateTimeOffset occurredAt, object data, CancellationToken cancellationToken)
    {
        var subscriptions = (await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(cancellationToken))
            .Where(s => s.Wants(eventType))
            .ToList();
        if (subscriptions.Count == 0)
        {
            return;
        }

        var subscriptionIds = subscriptions.Select(s => s.Id).ToList();
        var queued = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.EventKey == eventKey && subscriptionIds.Contains(d.SubscriptionId))
            .Select(d => d.SubscriptionId)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var created = subscriptions
            .Where(s => !queued.Contains(s.Id))
            .Select(s => WebhookDelivery.Create(s.Id, eventType, eventKey, id => JsonSerializer.Serialize(new
            {
                Id = id,
                Type = eventType,
                OccurredAt = occurredAt,
                Data = data,
            }, Json), now))
            .ToList();
        if (created.Count == 0)
        {
            return;
        }

        db.WebhookDeliveries.AddRange(created);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var delivery in created)
        {
            jobs.Enqueue<WebhookSender>(s => s.DeliverAsync(delivery.Id, CancellationToken.None));
        }
    }
}
