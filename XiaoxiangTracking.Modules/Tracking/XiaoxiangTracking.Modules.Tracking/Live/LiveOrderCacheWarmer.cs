using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace XiaoxiangTracking.Modules.Tracking.Live;

/// <summary>
/// Rebuilds the cache of active orders from the database when the host starts. Registered after the module's migration
/// service, whose start (the migration) completes first.
/// </summary>
internal sealed class LiveOrderCacheWarmer(LiveOrderCache cache, ILogger<LiveOrderCacheWarmer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = await cache.WarmAsync(cancellationToken);
        logger.LogInformation("Live state of {Count} active order(s) loaded into the cache", count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
