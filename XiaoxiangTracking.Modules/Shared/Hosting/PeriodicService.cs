using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace XiaoxiangTracking.Modules.Shared.Hosting;

/// <summary>
/// Background work done in rounds, one every <see cref="Interval"/> on the host's clock (so tests move it with a fake
/// clock): a round that fails is logged and the next one tries again; the host stopping ends it quietly.
/// </summary>
public abstract class PeriodicService(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The host's clock.</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>Where the service logs.</summary>
    protected ILogger Logger { get; } = logger;

    /// <summary>Time between rounds.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What a round does, as said in the log when it fails ("Retrying dispatch").</summary>
    protected abstract string Work { get; }

    /// <summary>True to do a first round at start rather than after the first interval.</summary>
    protected virtual bool RoundAtStart => false;

    /// <summary>One round.</summary>
    protected abstract Task RoundAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Clock);
        try
        {
            if (RoundAtStart)
            {
                await GuardedRoundAsync(stoppingToken);
            }

            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await GuardedRoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task GuardedRoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RoundAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            Logger.LogWarning(ex, "{Work} failed; the next round, in {Interval}, tries again", Work, Interval);
        }
    }
}
