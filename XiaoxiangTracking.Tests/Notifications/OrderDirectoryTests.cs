using Microsoft.Extensions.Time.Testing;
using XiaoxiangTracking.Modules.Notifications.Fanout;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Tests.Notifications;

/// <summary>Who each order concerns, as fan-out reads it for every delta.</summary>
public class OrderDirectoryTests
{
    [Fact]
    public async Task A_rider_handed_the_order_is_kept_while_moves_of_the_order_are_applied_at_the_same_time()
    {
        var directory = new OrderDirectory(TimeProvider.System);
        directory.Add("o-1", "wh-1", "r-0");
        using var stop = new CancellationTokenSource();
        var moving = new TaskCompletionSource();

        // The position writer's moves and the outbox's hand-overs reach the directory on threads of their own.
        var moves = Task.Run(() =>
        {
            for (var version = 1L; !stop.IsCancellationRequested; version++)
            {
                directory.Apply(new OrderTrackingChanged("o-1", version, null, null,
                    new LivePosition(31.22, 121.54, DateTimeOffset.UnixEpoch, null, null), null, DateTimeOffset.UnixEpoch));
                moving.TrySetResult();
            }
        });
        await moving.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var lost = new List<string>();
        for (var handOver = 1; handOver <= 20_000; handOver++)
        {
            var rider = $"r-{handOver}";
            directory.Apply(new OrderTrackingChanged("o-1", 0, OrderStatus.Delivering, rider, null, null, DateTimeOffset.UnixEpoch));
            if (directory.Find("o-1")!.RiderId != rider)
            {
                lost.Add(rider);
            }
        }

        await stop.CancelAsync();
        await moves;
        lost.Should().BeEmpty("a move applied alongside a hand-over must not put the previous rider back");
        directory.Find("o-1").Should().Be(new OrderParties("o-1", "wh-1", "r-20000"));
    }

    [Fact]
    public void A_delta_that_ends_the_order_marks_it_ended_and_keeps_its_rider()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        var directory = new OrderDirectory(clock);
        directory.Add("o-1", "wh-1", "r-1");

        var before = directory.Apply(new OrderTrackingChanged("o-1", 9, OrderStatus.Completed, null, null, false, clock.GetUtcNow()));

        before.Should().Be(new OrderParties("o-1", "wh-1", "r-1"));
        directory.Find("o-1").Should().Be(new OrderParties("o-1", "wh-1", "r-1") { EndedAt = clock.GetUtcNow() });
        directory.Apply(new OrderTrackingChanged("o-2", 1, null, null, null, false, clock.GetUtcNow())).Should().BeNull("the order is unknown");

        clock.Advance(TimeSpan.FromMinutes(10));
        directory.Trim();
        directory.Find("o-1").Should().NotBeNull("its last deltas may still be on their way for ten minutes");
        clock.Advance(TimeSpan.FromSeconds(1));
        directory.Trim();
        directory.Find("o-1").Should().BeNull("an order ended more than ten minutes ago is forgotten");
    }
}
