using System.Net.Http.Json;

namespace XiaoxiangTracking.Bench;

/// <summary>
/// The host's managed heap per active order: orders each handed to its own rider, whose fixes then move it more times
/// than the delta history keeps — the steady state of a long delivery. The same is done first for a few orders left
/// out of the figure, so that what is measured is the orders and not the first use of the code they go through; the
/// riders report once before the baseline, so what the riders themselves cost (their latest fix) is not counted.
/// </summary>
internal static class Memory
{
    private const int WarmUpOrders = 20;

    public static async Task<double> BytesPerActiveOrderAsync(HostProcess host, int orders, int moves)
    {
        using var handler = Load.Handler();
        var ops = host.Client("ops", "bench-memory-ops", handler);

        await DeliverAsync(new Riders("bench-memory-warm", WarmUpOrders), moves, baseline: null);
        var riders = new Riders("bench-memory", orders);
        long before = 0;
        await DeliverAsync(riders, moves, baseline: async () => before = await host.LiveHeapBytesAsync());
        var after = await host.LiveHeapBytesAsync();
        return (after - before) / (double)orders;

        async Task DeliverAsync(Riders fleet, int rounds, Func<Task>? baseline)
        {
            var clients = Enumerable.Range(0, fleet.Count).Select(r => host.Client("rider", fleet.Id(r), handler)).ToArray();
            await ReportAsync(1);
            if (baseline is not null)
            {
                await baseline();
            }

            for (var r = 0; r < fleet.Count; r++)
            {
                await Scenario.DeliveringOrderAsync(ops, fleet.Id(r), $"c-{fleet.Id(r)}");
            }

            await ReportAsync(rounds);

            Task ReportAsync(int times) => Parallel.ForEachAsync(Enumerable.Range(0, fleet.Count), new ParallelOptions { MaxDegreeOfParallelism = 64 },
                async (rider, cancellationToken) =>
                {
                    for (var i = 0; i < times; i++)
                    {
                        using var response = await clients[rider].PostAsJsonAsync("/api/tracking/positions", fleet.Next(rider), cancellationToken);
                        response.EnsureSuccessStatusCode();
                    }
                });
        }
    }
}
