using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Notifications.Fanout;
using XiaoxiangTracking.Modules.Notifications.Settings;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Tests.Notifications;

/// <summary>The delta history a reconnecting client is caught up from: exactly what it missed, or nothing.</summary>
public class DeltaLogTests
{
    private readonly DeltaLog _log = new(Options.Create(new NotificationsOptions { DeltaHistory = 4 }), new OrderDirectory(TimeProvider.System), TimeProvider.System);

    [Fact]
    public void A_client_gets_exactly_the_deltas_it_missed_while_the_history_reaches_back_to_them()
    {
        for (var version = 1; version <= 10; version++)
        {
            _log.Append(Move(version));
        }

        Versions(_log.After("o-1", 6)).Should().Equal(7, 8, 9, 10);
        Versions(_log.After("o-1", 8)).Should().Equal(9, 10);
        _log.After("o-1", 10).Should().BeEmpty("nothing newer is known");
        _log.After("o-1", 12).Should().BeEmpty();
        _log.After("o-1", 5).Should().BeNull("version 6 is older than the four kept: a snapshot is needed");
        _log.After("o-2", 0).Should().BeNull("nothing is known of that order");
        _log.Latest("o-1").Should().Be(10);
        _log.Latest("o-2").Should().BeNull();
    }

    [Fact]
    public void A_late_delta_fills_its_hole_and_one_older_than_the_history_is_ignored()
    {
        foreach (var version in new[] { 1, 2, 4, 5 })
        {
            _log.Append(Move(version));
        }

        _log.After("o-1", 2).Should().BeNull("version 3 has not arrived: the client must not skip it");
        _log.Append(Move(3));
        Versions(_log.After("o-1", 2)).Should().Equal(3, 4, 5);

        _log.Append(Move(9));
        _log.Append(Move(5));
        _log.Append(Move(1));
        _log.Latest("o-1").Should().Be(9);
        Versions(_log.After("o-1", 5)).Should().BeNull("6 to 8 never came");
        foreach (var version in new[] { 8, 7, 6 })
        {
            _log.Append(Move(version));
        }

        Versions(_log.After("o-1", 5)).Should().Equal(6, 7, 8, 9);
    }

    [Fact]
    public void The_deltas_kept_share_one_copy_of_the_order_id()
    {
        _log.Append(Move(1, new string("o-1")));
        _log.Append(Move(2, new string("o-1")));

        var kept = _log.After("o-1", 0)!;
        kept.Should().HaveCount(2);
        ReferenceEquals(kept[0].OrderId, kept[1].OrderId).Should().BeTrue();
        kept[1].Position!.Latitude.Should().Be(Move(2).Position!.Latitude, "only the id is replaced");
    }

    [Fact]
    public void A_client_caught_up_gets_each_delta_as_it_was_without_the_moment_a_move_was_reported()
    {
        var handedOver = new OrderTrackingChanged("o-1", 1, OrderStatus.Delivering, "r-1", null, null, DateTimeOffset.UnixEpoch);
        var moved = Move(2) with { ReportedAt = DateTimeOffset.UnixEpoch.AddSeconds(1.5) };
        var estimated = new OrderTrackingChanged("o-1", 3, null, null, null, null, DateTimeOffset.UnixEpoch.AddSeconds(3),
            Eta: new LiveEta(DateTimeOffset.UnixEpoch.AddMinutes(9), DateTimeOffset.UnixEpoch.AddMinutes(8), DateTimeOffset.UnixEpoch.AddMinutes(11), false));
        var alerted = new OrderTrackingChanged("o-1", 4, null, null, null, null, DateTimeOffset.UnixEpoch.AddSeconds(4), [AlertType.Stall]);
        foreach (var change in new[] { handedOver, moved, estimated, alerted })
        {
            _log.Append(change);
        }

        _log.After("o-1", 0).Should().Equal(
            [handedOver, moved with { ReportedAt = null }, estimated, alerted],
            "a caught-up move is not measured as a push that just happened; everything else is as it was sent");
    }

    private static long[]? Versions(IReadOnlyList<OrderTrackingChanged>? deltas) => deltas?.Select(d => d.Version).ToArray();

    private static OrderTrackingChanged Move(long version, string orderId = "o-1") =>
        new(orderId, version, null, null, new LivePosition(31.22 + (version * 1e-4), 121.54, DateTimeOffset.UnixEpoch.AddSeconds(version), null, null),
            null, DateTimeOffset.UnixEpoch.AddSeconds(version));
}
