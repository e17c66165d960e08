using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using XiaoxiangTracking.Modules.Notifications.Persistence;
using XiaoxiangTracking.Modules.Notifications.Domain;

namespace XiaoxiangTracking.Modules.Notifications.Webhooks;

/// <summary>
/// Re-enqueues pending deliveries whose attempt is overdue by more than a minute and not held by a sender — their job
/// was lost (in-memory job storage across a restart, or a crash between storing the delivery and enqueueing it).
/// Runs as a recurring job every minute and once at start-up.
/// </summary>
internal sealed class WebhookSweep(NotificationsDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string RecurringJobId = "webhooks-sweep";
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var overdue = now - Grace;
        var stranded = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= overdue && (d.LeasedUntil == null || d.LeasedUntil < now))
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        foreach (var id in stranded)
        {
            jobs.Enqueue<WebhookSender>(s => s.DeliverAsync(id, CancellationToken.None));
        }
    }
}

/// <summary>Registers the sweep as a recurring job and enqueues one run at start-up.</summary>
internal sealed class WebhookSweepSchedule(IRecurringJobManager recurring, IBackgroundJobClient jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<WebhookSweep>(WebhookSweep.RecurringJobId, s => s.SweepAsync(CancellationToken.None), Cron.Minutely());
        jobs.Enqueue<WebhookSweep>(s => s.SweepAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
