using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Modules.Shared.Outbox;

/// <summary>
/// Publishes a module's committed outbox messages in process, in commit order: first everything left over when the
/// host starts (a crash between commit and publish loses nothing), then whatever each commit signals, with a poll as
/// the safety net. Delivery is at least once; handlers are idempotent (notifications carry the order's version).
/// </summary>
internal sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    NotificationTypeRegistry registry,
    IOptions<OutboxOptions> options,
    DatabaseReadiness readiness,
    TimeProvider clock,
    Observability.ServiceMetrics metrics,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lag = metrics.OutboxLag.WithLabels(typeof(TContext).Name.Replace("DbContext", "", StringComparison.Ordinal).ToLowerInvariant());
        metrics.BeforeScrape(async cancellationToken => lag.Set(await OldestPendingAgeAsync(cancellationToken)));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsMigrated(typeof(TContext)))
                {
                    await DispatchPendingAsync(stoppingToken);
                    await DeletePublishedAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Outbox dispatch for {Context} failed; retrying after the poll interval", typeof(TContext).Name);
            }

            await signal.WaitAsync(typeof(TContext), options.Value.PollInterval, clock, stoppingToken);
        }
    }

    /// <summary>Seconds since the oldest message still waiting to be published was committed; 0 when none waits.</summary>
    private async Task<double> OldestPendingAgeAsync(CancellationToken cancellationToken)
    {
        if (!readiness.IsMigrated(typeof(TContext)))
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var settings = options.Value;
        var oldest = await scope.ServiceProvider.GetRequiredService<TContext>().Set<OutboxMessage>()
            .Where(m => m.ProcessedAt == null && m.Attempts < settings.MaxAttempts)
            .OrderBy(m => m.Id)
            .Select(m => (DateTimeOffset?)m.OccurredAt)
            .FirstOrDefaultAsync(cancellationToken);
        return oldest is { } at ? Math.Max(0, (clock.GetUtcNow() - at).TotalSeconds) : 0;
    }

    /// <summary>Publishes every pending message; returns how many were published.</summary>
    internal async Task<int> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        var published = 0;
        var settings = options.Value;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var publisher = scope.ServiceProvider.GetRequiredService<IPublisher>();

            var batch = await db.Set<OutboxMessage>()
                .Where(m => m.ProcessedAt == null && m.Attempts < settings.MaxAttempts)
                .OrderBy(m => m.Id)
                .Take(settings.BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return published;
            }

            var failed = false;
            foreach (var message in batch)
            {
                try
                {
                    await publisher.Publish(registry.Deserialize(message.Type, message.Payload), cancellationToken);
                    message.ProcessedAt = clock.GetUtcNow();
                    published++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    message.Attempts++;
                    message.LastError = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
                    var level = message.Attempts >= settings.MaxAttempts ? LogLevel.Error : LogLevel.Warning;
                    logger.Log(level, ex, "Publishing outbox message {MessageId} ({Type}) failed, attempt {Attempt}",
                        message.Id, message.Type, message.Attempts);
                    failed = true;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            if (failed)
            {
                // Leave the rest for the next poll rather than spinning on a failing handler.
                return published;
            }
        }
    }

    private async Task DeletePublishedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _nextCleanup)
        {
            return;
        }

        _nextCleanup = now.AddHours(1);
        var cutoff = now - options.Value.RetainPublishedFor;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await db.Set<OutboxMessage>()
            .Where(m => m.ProcessedAt != null && m.ProcessedAt < cutoff)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
