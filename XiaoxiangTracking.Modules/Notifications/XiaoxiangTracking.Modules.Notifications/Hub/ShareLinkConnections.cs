using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Notifications.Settings;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Hosting;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Notifications.Hub;

/// <summary>The hub connections of this instance opened with a share link's token, by connection id.</summary>
internal sealed class ShareLinkConnections
{
    private readonly ConcurrentDictionary<string, (HubCallerContext Context, string LinkId)> _connections = new(StringComparer.Ordinal);

    public bool IsEmpty => _connections.IsEmpty;

    /// <summary>Keeps the connection if it was opened by a share link.</summary>
    public void Opened(HubCallerContext context)
    {
        if (context.User?.FindFirst(ClaimNames.ShareLinkId)?.Value is { } linkId)
        {
            _connections[context.ConnectionId] = (context, linkId);
        }
    }

    public void Closed(string connectionId) => _connections.TryRemove(connectionId, out _);

    public IReadOnlyCollection<string> LinkIds() => [.. _connections.Values.Select(c => c.LinkId).Distinct(StringComparer.Ordinal)];

    /// <summary>Closes every connection of a link not in <paramref name="holding"/>; how many it closed.</summary>
    public int CloseAllBut(IReadOnlySet<string> holding)
    {
        var closed = 0;
        foreach (var (id, (context, linkId)) in _connections)
        {
            if (!holding.Contains(linkId) && _connections.TryRemove(id, out _))
            {
                context.Abort();
                closed++;
            }
        }

        return closed;
    }
}

/// <summary>
/// Every <see cref="NotificationsOptions.ShareLinkCheckInterval"/> (1 s) asks the Orders module which of the links
/// behind this instance's connections still hold, and closes the connections of those revoked or expired — by time or
/// by their order ending — so a page open on a dead link stops getting updates within the interval. Each instance
/// checks its own connections, so this holds however many instances there are.
/// </summary>
internal sealed class ShareLinkWatch(
    ShareLinkConnections connections,
    IServiceScopeFactory scopes,
    IOptions<NotificationsOptions> options,
    TimeProvider clock,
    ILogger<ShareLinkWatch> logger) : PeriodicService(clock, logger)
{
    protected override TimeSpan Interval => options.Value.ShareLinkCheckInterval;

    protected override string Work => "Checking the share links of live connections";

    protected override async Task RoundAsync(CancellationToken cancellationToken)
    {
        if (connections.IsEmpty)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var holding = await scope.ServiceProvider.GetRequiredService<IShareLinks>().StillValidAsync(connections.LinkIds(), cancellationToken);
        if (connections.CloseAllBut(holding) is > 0 and var closed)
        {
            Logger.LogInformation("Closed {Count} live connection(s) of share links no longer valid", closed);
        }
    }
}
