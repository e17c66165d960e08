using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Notifications.Persistence;
using XiaoxiangTracking.Modules.Notifications.Settings;
using XiaoxiangTracking.Modules.Notifications.Domain;

namespace XiaoxiangTracking.Modules.Notifications.Webhooks;

/// <summary>
/// The Hangfire job that makes one attempt at one delivery: takes a lease on it (so two workers never send the same
/// attempt), POSTs the signed payload, records the attempt, and schedules the next one with back-off when it failed.
/// Not due, already delivered, or held by another worker: it does nothing.
/// </summary>
internal sealed class WebhookSender(
    NotificationsDbContext db,
    IHttpClientFactory httpClients,
    IBackgroundJobClient jobs,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookSender> logger)
{
    public const string HttpClientName = "webhooks";

    public async Task DeliverAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null || !delivery.TryLease(clock.GetUtcNow(), settings.Timeout * 2))
        {
            return;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return; // Another worker took it.
        }

        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
        var attempt = await SendAsync(delivery, subscription, cancellationToken);
        var next = delivery.Record(attempt, settings.MaxAttempts, settings.RetryBaseDelay, settings.MaxRetryDelay);
        await db.SaveChangesAsync(cancellationToken);
        if (next is { } at)
        {
            jobs.Schedule<WebhookSender>(s => s.DeliverAsync(deliveryId, CancellationToken.None), at);
        }
        else if (!attempt.Succeeded)
        {
            logger.LogWarning("Webhook delivery {DeliveryId} to subscription {SubscriptionId} failed after {Attempts} attempts",
                delivery.Id, subscription.Id, delivery.Attempts.Count);
        }
    }

    private async Task<WebhookAttempt> SendAsync(WebhookDelivery delivery, WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        var number = delivery.Attempts.Count + 1;
        var started = clock.GetUtcNow();
        var timestamp = started.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(subscription.Secret, timestamp, delivery.Payload));
        request.Headers.Add(WebhookSignature.EventHeader, delivery.EventType);
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.Timeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            return new WebhookAttempt(number, started, (int)response.StatusCode, null, (int)stopwatch.ElapsedMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = ex is TaskCanceledException ? $"No answer within {options.Value.Timeout}." : ex.Message;
            return new WebhookAttempt(number, started, null, error.Length > 500 ? error[..500] : error, (int)stopwatch.ElapsedMilliseconds);
        }
    }
}
