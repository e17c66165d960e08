using System.Diagnostics;

namespace XiaoxiangTracking.Bench;

/// <summary>
/// The host's live objects per active order (the pinned heap, the transport's buffers, left out): orders each handed
/// to its own rider, whose fixes then move it more times than the delta history keeps — the steady state of a long
/// delivery. Measured in rounds, each adding its orders to those of the rounds before: a cost paid once (the first run
/// of a scheduled job, a table of the host's growing to its next size) lands in one round, so the median of the rounds
/// is what an order costs. The same is done first for a few orders left out of the figure (the first use of the code
/// they go through), and the rounds start once every minutely job of the host has run; the riders report once before
/// each round's baseline with the tokens they keep using, so what the riders themselves cost (their latest fix, their
/// rate limiter, their validated token) is not counted.
/// </summary>
internal static class Memory
{
    private const int WarmUpOrders = 20;

    /// <summary>
    /// When the host's minutely jobs (alert scan, payment expiry, webhook sweep) have each run once, building their
    /// queries: due within 75 s of the start (the minute's turn, then the scheduler's 15-s poll).
    /// </summary>
    private static readonly TimeSpan FirstJobRuns = TimeSpan.FromSeconds(80);

    /// <summary>
    /// How long after a caller's last request the host still keeps its rate limiter: to the end of the limiter's
    /// one-minute window, then ten idle seconds.
    /// </summary>
    private static readonly TimeSpan CallersForgotten = TimeSpan.FromSeconds(75);

    /// <summary>
    /// Bytes per active order in each round, in the order measured. A round starts once the host has let go of the
    /// riders of the round before (their rate limiters), which would otherwise be taken off the orders it measures.
    /// </summary>
    public static async Task<double[]> BytesPerActiveOrderAsync(HostProcess host, int rounds, int ordersPerRound, int moves)
    {
        var warmUp = new Riders("bench-memory-warm", WarmUpOrders);
        await Load.ReportEachAsync(host, warmUp, 1);
        await DeliverAsync(host, warmUp, moves);
        var sinceLastRequests = Stopwatch.StartNew();

        var perOrder = new double[rounds];
        for (var round = 0; round < rounds; round++)
        {
            var wait = new[] { CallersForgotten - sinceLastRequests.Elapsed, FirstJobRuns - host.Uptime }.Max();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var riders = new Riders($"bench-memory-{round}", ordersPerRound);
            await Load.ReportEachAsync(host, riders, 1);
            var before = (await host.LiveHeapAsync()).Objects;
            await DeliverAsync(host, riders, moves);
            sinceLastRequests.Restart();
            perOrder[round] = ((await host.LiveHeapAsync()).Objects - before) / (double)ordersPerRound;
        }

        return perOrder;
    }

    /// <summary>Hands each rider of <paramref name="fleet"/> an order of its own, then moves it <paramref name="moves"/> times.</summary>
    private static async Task DeliverAsync(HostProcess host, Riders fleet, int moves)
    {
        using (var handler = HostRequests.Handler())
        {
            var ops = host.Client("ops", "bench-memory-ops", handler);
            for (var r = 0; r < fleet.Count; r++)
            {
                await Scenario.DeliveringOrderAsync(ops, fleet.Id(r), $"c-{fleet.Id(r)}");
            }
        }

        await Load.ReportEachAsync(host, fleet, moves);
    }
}
