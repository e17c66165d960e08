namespace XiaoxiangTracking.Bench;

/// <summary>One report of every rider of a fleet: how fast it went and the host's CPU per report.</summary>
internal sealed record FleetRound(double PerSecond, double HostMicrosecondsPerReport);

/// <summary>
/// A restart (a deploy) under a fleet that keeps reporting: every rider reports once to a host, the host stops and
/// starts again on the same database, and every rider reports once more — its first report to the new process, judged
/// against its latest stored fix — and then once again, as any later report. Both rounds after the start follow a
/// warm-up of the host's code by riders of their own, so they differ only in what the host holds of the fleet.
/// </summary>
internal static class Restart
{
    public static async Task<(FleetRound First, FleetRound Next)> RunAsync(int riders, int workers, TimeSpan warmUp)
    {
        var data = HostData.Fresh();
        try
        {
            var fleet = new Riders("bench-restart", riders);
            await using (var before = await HostProcess.StartAsync(data))
            {
                await EachOnceAsync(before, fleet, workers);
                await before.StopAsync();
            }

            await using var host = await HostProcess.StartAsync(data);
            using (var handler = HostRequests.Handler())
            {
                var warming = new Riders("bench-restart-warm", workers);
                var clients = host.RiderClients(warming, handler);
                await Load.SaturateAsync(w => clients[w], warming, workers, warmUp, TimeSpan.FromSeconds(1));
            }

            var first = await EachOnceAsync(host, fleet, workers);
            var next = await EachOnceAsync(host, fleet, workers);
            return (first, next);
        }
        finally
        {
            data.Delete();
        }
    }

    /// <summary>Every rider of <paramref name="fleet"/> reports once, <paramref name="workers"/> at a time.</summary>
    private static async Task<FleetRound> EachOnceAsync(HostProcess host, Riders fleet, int workers)
    {
        var (elapsed, cpu) = await Load.ReportEachAsync(host, fleet, 1, workers);
        return new FleetRound(fleet.Count / elapsed.TotalSeconds, cpu / fleet.Count * 1e6);
    }
}
