using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Tracking.Features.Alerts;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Tests.Alerts;

public class MoveEvaluationQueueTests
{
    [Fact]
    public void An_order_that_moves_again_before_its_evaluation_is_taken_is_queued_once()
    {
        var queue = new MoveEvaluationQueue(Options.Create(new AlertOptions()));

        queue.Queue("o-1");
        queue.Queue("o-1");
        queue.Queue("o-2");
        queue.Queue("o-1");

        Taken(queue).Should().Be("o-1");
        Taken(queue).Should().Be("o-2");
        queue.Reader.Count.Should().Be(0);

        // Once taken, the next move is evaluated again (it may come after the evaluation read the fixes).
        queue.Queue("o-1");
        Taken(queue).Should().Be("o-1");
    }

    [Fact]
    public void An_order_turned_away_by_a_full_queue_is_queued_by_its_next_move()
    {
        var queue = new MoveEvaluationQueue(Options.Create(new AlertOptions { EvaluationQueueCapacity = 1 }));

        queue.Queue("o-1");
        queue.Queue("o-2");
        queue.Reader.Count.Should().Be(1, "the queue is bounded; the recurring scan covers what it turns away");

        Taken(queue).Should().Be("o-1");
        queue.Queue("o-2");
        Taken(queue).Should().Be("o-2", "being turned away did not leave it marked as waiting");
    }

    private static string Taken(MoveEvaluationQueue queue)
    {
        queue.Reader.TryRead(out var work).Should().BeTrue();
        var moved = work.Should().BeOfType<Evaluation.OrderMoved>().Subject;
        queue.Taken(moved);
        return moved.OrderId;
    }
}
