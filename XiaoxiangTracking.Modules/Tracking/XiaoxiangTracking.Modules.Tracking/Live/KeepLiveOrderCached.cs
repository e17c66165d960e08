using Mediator;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Tracking.Live;

/// <summary>The cache follows the same deltas every other receiver gets (and heals its gaps the same way), wherever they were made.</summary>
internal sealed class KeepLiveOrderCached(LiveOrderCache cache) :
    INotificationHandler<OrderTrackingChanged>,
    INotificationHandler<OrderTrackingChangedElsewhere>
{
    public ValueTask Handle(OrderTrackingChanged notification, CancellationToken cancellationToken) =>
        cache.ApplyAsync(notification, cancellationToken);

    public ValueTask Handle(OrderTrackingChangedElsewhere notification, CancellationToken cancellationToken) =>
        cache.ApplyAsync(notification.Change, cancellationToken);
}
