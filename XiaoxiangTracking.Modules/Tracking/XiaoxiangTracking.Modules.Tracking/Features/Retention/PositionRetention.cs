using System.ComponentModel.DataAnnotations;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Modules.Tracking.Features.Retention;

/// <summary>How long stored rider positions are kept (bound from <c>Tracking:Retention</c>).</summary>
internal sealed class RetentionOptions
{
    public const string SectionName = "Tracking:Retention";

    /// <summary>Positions whose fix is older than this are deleted (default 90 days).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan KeepPositionsFor { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Rows deleted per statement, so no transaction holds the table for long (default 5,000).</summary>
    [Range(100, 100_000)]
    public int BatchSize { get; set; } = 5000;

    /// <summary>When the purge runs (cron, UTC; default 03:30 every day).</summary>
    [Required]
    public string Cron { get; set; } = "30 3 * * *";
}

/// <summary>
/// Deletes rider positions older than <see cref="RetentionOptions.KeepPositionsFor"/>, oldest first, one batch per
/// statement until none is left. Each rider's latest fix lives in its own table and is never touched; timelines and
/// alerts stay. Idempotent: run twice, or on two instances at once, it deletes the same rows once.
/// </summary>
internal sealed class PositionRetention(TrackingDbContext db, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<PositionRetention> logger)
{
    public const string RecurringJobId = "tracking-retention";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = clock.GetUtcNow() - settings.KeepPositionsFor;
        var deleted = 0;
        while (true)
        {
            var batch = await db.RiderPositions.AsNoTracking()
                .Where(p => p.FixTime < cutoff)
                .OrderBy(p => p.Id)
                .Select(p => p.Id)
                .Take(settings.BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            deleted += await db.RiderPositions.Where(p => batch.Contains(p.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        logger.LogInformation("Retention deleted {Count} rider position(s) with fixes before {Cutoff:u}", deleted, cutoff);
        return deleted;
    }
}

/// <summary>Registers the retention purge as a recurring job.</summary>
internal sealed class PositionRetentionSchedule(IRecurringJobManager recurring, IOptions<RetentionOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<PositionRetention>(PositionRetention.RecurringJobId, job => job.RunAsync(CancellationToken.None), options.Value.Cron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
