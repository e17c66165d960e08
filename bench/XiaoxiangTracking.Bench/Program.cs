using System.Globalization;
using System.Runtime.InteropServices;
using XiaoxiangTracking.Bench;

// dotnet run -c Release --project bench/XiaoxiangTracking.Bench -- [--seconds 20] [--warmup 20] [--workers 64]
//     [--riders 20000] [--orders 500] [--compression 10] [--connections 1000]
//     [--phases bare,floor,raw,post,wrk,batch,scenario,burst,fanout,trajectory,memory,restart]
// Every phase is bounded; the whole run stops by itself. Each measured phase first runs unmeasured for --warmup seconds
// (connections opened, the JIT's tiers settled), then measures for --seconds. --phases runs only those named (a ratio
// to a phase not run is left out).
// dotnet run -c Release --project bench/XiaoxiangTracking.Bench -- reliability [--cycles 200] [--seed 1]
//     kills the host with SIGKILL at random moments while riders report and orders move, then checks the database.
if (args.FirstOrDefault() == "reliability")
{
    var report = await new KillHarness(
        int.Parse(Options.Value(args, "--cycles") ?? "200", CultureInfo.InvariantCulture),
        int.Parse(Options.Value(args, "--seed") ?? "1", CultureInfo.InvariantCulture),
        Console.Out).RunAsync();
    Console.WriteLine(report.Summary);
    foreach (var problem in report.Problems)
    {
        Console.WriteLine($"  problem: {problem}");
    }

    return report.Problems.Count == 0 ? 0 : 1;
}

var options = Options.Parse(args);
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"# Xiaoxiang Tracking bench — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"options: {options}");
Console.WriteLine();

var duration = TimeSpan.FromSeconds(options.Seconds);
var warmUp = TimeSpan.FromSeconds(options.WarmUp);
var handler = HostRequests.Handler();

// 1. HTTP ceiling: a bare endpoint reading the same JSON.
double? bareRate = null;
if (options.Runs("bare"))
{
    await using var bare = await Baselines.StartBareEndpointAsync();
    var bareResult = await SaturateInProcessAsync(bare, new Riders("bench-bare", options.Workers), warmUp, duration);
    bareRate = bareResult.PerSecond;
    Console.WriteLine($"bare endpoint:       {bareResult.PerSecond,10:N0} req/s   reply p50/p95/p99 {bareResult.Reply.Summary} ms   ({bareResult.Machine})");
}

// 2. Storage ceiling: raw batched SQLite inserts of the same rows in the shapes the host commits them: single reports
// of the 64 riders interleaved, 100 per transaction; and runs of 100 fixes of one rider (a batch upload), 1,000 per
// transaction (the writer's largest commit).
double? rawRows = null, rawRowsLarge = null;
if (options.Runs("raw"))
{
    rawRows = await Baselines.RawSqliteRowsPerSecondAsync(200_000, 100, options.Workers, 1);
    Console.WriteLine($"raw SQLite, 100/tx, riders interleaved: {rawRows,10:N0} rows/s");
    rawRowsLarge = await Baselines.RawSqliteRowsPerSecondAsync(200_000, 1_000, options.Workers, 100);
    Console.WriteLine($"raw SQLite, 1000/tx, runs of 100:      {rawRowsLarge,10:N0} rows/s");
}

await using var host = await HostProcess.StartAsync();

// 3 and 4. What committing before the reply alone costs (the bare endpoint with a group-commit writer behind it: the
// durable floor), and the host's full path at saturation (validate, durable group commit, live state, fan-out). In
// rounds of the floor and then the host, each measuring a third of --seconds: this shared machine's rate moves by a
// fifth between minutes, so each round's ratio compares the two within the same minute, and the medians of the rounds
// are reported. The first round warms up for --warmup, the others for a quarter of it.
if (options.Runs("floor") || options.Runs("post"))
{
    const int Rounds = 3;
    await using var floor = options.Runs("floor") ? await Baselines.StartDurableFloorAsync() : null;
    var floorRiders = new Riders("bench-floor", options.Workers);
    var riders = new Riders("bench-sat", options.Workers);
    var clients = host.RiderClients(riders, handler);
    var floors = new List<Throughput>();
    var posts = new List<PostRound>();
    for (var round = 0; round < Rounds; round++)
    {
        var roundWarmUp = round == 0 ? warmUp : warmUp / 4;
        if (floor is not null)
        {
            floors.Add(await SaturateInProcessAsync(floor, floorRiders, roundWarmUp, duration / Rounds));
        }

        if (options.Runs("post"))
        {
            posts.Add(await PostRoundAsync(riders, clients, roundWarmUp, duration / Rounds));
        }
    }

    if (floors.Count > 0)
    {
        var median = MedianOf(floors, f => f.PerSecond);
        Console.WriteLine($"durable floor:       {median.PerSecond,10:N0} req/s   reply p50/p95/p99 {median.Reply.Summary} ms   "
            + $"(rounds {Each(floors.Select(f => f.PerSecond), "N0")}; {Ratio(median.PerSecond, bareRate, "bare")}errors: {floors.Sum(f => f.Failed)}; {median.Machine})");
    }

    if (posts.Count > 0)
    {
        var median = MedianOf(posts, p => p.Result.PerSecond);
        var ofFloor = floors.Count == posts.Count
            ? posts.Zip(floors, (p, f) => p.Result.PerSecond / f.PerSecond).ToList()
            : null;
        Console.WriteLine($"host, one per POST:  {median.Result.PerSecond,10:N0} req/s   reply p50/p95/p99 {median.Result.Reply.Summary} ms   "
            + $"(rounds {Each(posts.Select(p => p.Result.PerSecond), "N0")}; "
            + (ofFloor is null ? "" : $"{Median(ofFloor):P0} of the durable floor (the median of the rounds' {Each(ofFloor, "P0")}), ")
            + $"{Ratio(median.Result.PerSecond, bareRate, "bare")}{Ratio(median.Result.PerSecond, rawRows, "raw 100/tx interleaved")}"
            + $"503: {posts.Sum(p => p.Result.Refused)}, errors: {posts.Sum(p => p.Result.Failed)}; {median.Result.Machine})");
        Console.WriteLine($"  host CPU {median.CpuCores:0.00} cores, {Median(posts.Select(p => p.MicrosecondsPerReport)):0} µs per report "
            + $"(the median of the rounds' {Each(posts.Select(p => p.MicrosecondsPerReport), "0")}); writer: {median.Commits:N0} commits of "
            + $"{median.PositionsPerCommit:0} positions, {median.CommitMilliseconds:0.0} ms each; {median.KilobytesPerReport:0.0} KB allocated per report");
    }
}

// 4b. The same single reports from wrk, a C load generator that costs the machine far less per request than the .NET
// client: a ceiling for HTTP on this machine that the client does not limit, the durable floor under it, and the host's
// rate and cost per report under it.
if (options.Runs("wrk"))
{
    if (Wrk.Path() is not { } wrk)
    {
        Console.WriteLine("wrk: not installed (apt-get install wrk); skipped");
    }
    else
    {
        await using (var bare = await Baselines.StartBareEndpointAsync())
        {
            var wrkBare = await Wrk.SaturateAsync(wrk, bare.BaseAddress, "wrk-bare", null, options.Workers, warmUp, duration);
            Console.WriteLine($"wrk, bare endpoint:  {wrkBare.PerSecond,10:N0} req/s   reply p50/p99 {wrkBare.P50:0.0} / {wrkBare.P99:0.0} ms   "
                + $"({(bareRate is { } b ? $"{wrkBare.PerSecond / b:0.0}× the .NET client's, " : "")}non-2xx: {wrkBare.NotSuccessful}, socket errors: {wrkBare.SocketErrors})");
        }

        double wrkFloorRate;
        await using (var floor = await Baselines.StartDurableFloorAsync())
        {
            var wrkFloor = await Wrk.SaturateAsync(wrk, floor.BaseAddress, "wrk-floor", null, options.Workers, warmUp, duration);
            wrkFloorRate = wrkFloor.PerSecond;
            Console.WriteLine($"wrk, durable floor:  {wrkFloor.PerSecond,10:N0} req/s   reply p50/p99 {wrkFloor.P50:0.0} / {wrkFloor.P99:0.0} ms   "
                + $"(non-2xx: {wrkFloor.NotSuccessful}, socket errors: {wrkFloor.SocketErrors})");
        }

        var wrkHost = await Wrk.SaturateAsync(wrk, host.BaseAddress, "wrk-sat", id => host.Token("rider", id), options.Workers, warmUp, duration, host);
        Console.WriteLine($"wrk, host one per POST: {wrkHost.PerSecond,7:N0} req/s   reply p50/p99 {wrkHost.P50:0.0} / {wrkHost.P99:0.0} ms   "
            + $"host CPU {wrkHost.HostMicrosecondsPerReport:0} µs per report   ({Ratio(wrkHost.PerSecond, wrkFloorRate, "the floor under wrk")}"
            + $"non-2xx: {wrkHost.NotSuccessful}, socket errors: {wrkHost.SocketErrors})");
    }
}

// 5. The writer: batches of 100 fixes per request (the offline-buffer upload), rows per second.
if (options.Runs("batch"))
{
    var batchRiders = new Riders("bench-batch", options.Workers);
    var batchClients = host.RiderClients(batchRiders, handler);
    var batches = await Load.SaturateAsync(w => batchClients[w], batchRiders, options.Workers, warmUp, duration, w => new
    {
        riderId = batchRiders.Id(w),
        positions = Enumerable.Range(0, 100).Select(_ => batchRiders.Next(w)).Select(p => new
        {
            p.PointId,
            // Distinct instants within the batch: one fix per rider per instant.
            FixTime = p.FixTime.AddTicks(int.Parse(p.PointId[1..], CultureInfo.InvariantCulture) % 100),
            p.Latitude,
            p.Longitude,
            p.Accuracy,
            p.Speed,
            p.Heading,
        }).ToArray(),
    });
    var rows = batches.PerSecond * 100;
    Console.WriteLine($"host, batches of 100:{rows,10:N0} rows/s  reply p50/p95/p99 {batches.Reply.Summary} ms   ({Ratio(rows, rawRowsLarge, "raw 1000/tx in runs of 100")}{batches.Machine})");
}

// 6. The paced scenario: riders every 15 s (compressed), watched orders with customers and an ops map on the hub.
var offered = options.Riders / (15 / options.Compression); // reports per second, as the scenario paces them
if (options.Runs("scenario"))
{
    var scenario = await new Scenario(host, options.Riders, options.Orders, options.Compression, warmUp, duration).RunAsync();
    Console.WriteLine($"scenario: {options.Riders:N0} riders every {15 / options.Compression:0.##} s = {offered:N0} reports/s offered, "
        + $"{options.Orders:N0} watched orders (customer + ops map)");
    Console.WriteLine($"  accepted:          {scenario.AcceptedPerSecond,10:N0} reports/s (503: {scenario.Refused}, errors: {scenario.Failed})");
    Console.WriteLine($"  reply p50/p95/p99: {scenario.Reply.Summary} ms");
    Console.WriteLine($"  end-to-end p50/p95/p99 (rider → subscriber): {scenario.EndToEnd.Summary} ms");
    Console.WriteLine($"  pushes: {scenario.Received:N0} of {scenario.Expected:N0} expected ({scenario.Expected - scenario.Received:N0} dropped), {scenario.Late:N0} later than 1 s");
    Console.WriteLine($"  host CPU: {scenario.CpuCores:0.00} cores; peak resident memory {scenario.PeakMegabytes:N0} MB");
    Console.WriteLine($"  the host's own view: commits {scenario.Commits}; arrival to push {scenario.Pushes}");
    Console.WriteLine($"  while measured: collections of the host {scenario.HostCollections}, of the bench {scenario.BenchCollections}; "
        + $"the bench's thread pool lag p50/p95/p99 {scenario.BenchPoolLag.Summary} ms, at most {scenario.BenchPoolLag.Percentile(100):0.0}");
}

// 7. Twice the scenario's rate, open loop, for the same time: refused or not, how fast the backlog drains after it.
if (options.Runs("burst"))
{
    var burst = await Backlog.RunAsync(host, options.Riders, 2 * offered, duration);
    Console.WriteLine($"burst at {burst.Offered:N0} reports/s (twice the scenario): {burst.Accepted:N0} accepted, {burst.Refused:N0} refused with 503 "
        + $"({burst.RefusedWithoutRetryAfter} without Retry-After), {burst.Failed:N0} failed; backlog drained {burst.Drain.TotalSeconds:0.00} s after the burst; "
        + $"acknowledged but not stored: {burst.Lost}, stored but not acknowledged: {burst.StoredUnacknowledged}");
}

// 8. Fan-out against the hub ceiling at the same connection count, and memory per connection.
if (options.Runs("fanout"))
{
    // Rounds of the bare hub and then the host, each measuring a third of --seconds: the bare hub's rate on this shared
    // machine moves by a third between minutes, so each round's ratio compares the two within the same minute, and the
    // median of the rounds is reported. The first round warms up for --warmup, the others for a quarter of it.
    const int Rounds = 3;
    var fleet = await Fanout.DeliveringAsync(host, 16);
    var rounds = new List<(FanoutResult Bare, FanoutResult Host)>();
    for (var round = 0; round < Rounds; round++)
    {
        var roundWarmUp = round == 0 ? warmUp : warmUp / 4;
        var bareRound = await Fanout.BareHubAsync(options.Connections, roundWarmUp, duration / Rounds);
        rounds.Add((bareRound, await Fanout.HostAsync(host, fleet, options.Connections, roundWarmUp, duration / Rounds, heap: round == 0)));
    }

    var first = rounds[0].Host;
    var ratios = rounds.Select(r => r.Host.MessagesPerSecond / r.Bare.MessagesPerSecond).ToList();
    Console.WriteLine($"bare hub, {options.Connections:N0} connections: {Median(rounds.Select(r => r.Bare.MessagesPerSecond)),10:N0} msg/s "
        + $"(rounds {Each(rounds.Select(r => r.Bare.MessagesPerSecond), "N0")}); CPU {Median(rounds.Select(r => r.Bare.BenchCpuMicrosecondsPerMessage)):0.0} µs per message (hub and clients, one process)");
    Console.WriteLine($"host fan-out, {options.Connections:N0} fleet maps: {Median(rounds.Select(r => r.Host.MessagesPerSecond)),10:N0} msg/s "
        + $"(rounds {Each(rounds.Select(r => r.Host.MessagesPerSecond), "N0")}), {Median(ratios):P0} of the bare hub (the median of the rounds' {Each(ratios, "P0")}); "
        + $"host CPU {Median(rounds.Select(r => r.Host.CpuMicrosecondsPerMessage!.Value)):0.0} µs per message (the reports included), the clients' {Median(rounds.Select(r => r.Host.BenchCpuMicrosecondsPerMessage)):0.0}; "
        + $"host managed heap per connection (each following {first.OrdersPerConnection:0} orders) {Kilobytes(first.PerConnection!)} connected, {Kilobytes(first.PerConnectionAfterLoad!)} after the load");
}

// 9. A two-hour trajectory (480 points) read back, one request at a time.
if (options.Runs("trajectory"))
{
    var (whole, simplified, returned) = await Trajectory.RunAsync(host, handler, 200, warmUp);
    Console.WriteLine($"trajectory of {Trajectory.Points} fixes ({returned} returned): whole p50/p95/p99 {whole.Summary} ms; simplified to 10 m {simplified.Summary} ms");
}

// 10. Managed heap per active order, after more moves than the delta history keeps.
if (options.Runs("memory"))
{
    // Enough orders that what the host holds besides them (buffer pools, caches) moves the figure by little; on a host
    // of its own, as the state the earlier phases left (riders, orders, connections) is let go on timers meanwhile.
    const int Rounds = 5, OrdersPerRound = 400, Moves = 110;
    await using var own = await HostProcess.StartAsync();
    var perOrder = await Memory.BytesPerActiveOrderAsync(own, Rounds, OrdersPerRound, Moves);
    Console.WriteLine($"memory: {Median(perOrder) / 1024:0.00} KB of live managed objects per active order, the median of {Rounds} rounds of "
        + $"{OrdersPerRound:N0} orders ({string.Join(", ", perOrder.Select(b => $"{b / 1024:0.00}"))} KB), each order moved {Moves} times "
        + "(more than the delta history keeps)");
}

// 11. A restart under the fleet: each rider's first report to the new process, then its next.
if (options.Runs("restart"))
{
    var (first, next) = await Restart.RunAsync(options.Riders, options.Workers, warmUp);
    Console.WriteLine($"restart, {options.Riders:N0} riders each reporting once: first report after the start {first.PerSecond,8:N0} reports/s, "
        + $"{first.HostMicrosecondsPerReport:N0} µs host CPU each; the next {next.PerSecond,8:N0} reports/s, {next.HostMicrosecondsPerReport:N0} µs each");
}

return 0;

// The closed-loop reporters against an endpoint in this process, as against the host in phase 4.
async Task<Throughput> SaturateInProcessAsync(InProcessEndpoint endpoint, Riders riders, TimeSpan warmUpFor, TimeSpan measureFor)
{
    using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = endpoint.BaseAddress };
    return await Load.SaturateAsync(_ => client, riders, options.Workers, warmUpFor, measureFor);
}

// The round in the middle by one measure (of an odd number of rounds).
static T MedianOf<T>(IReadOnlyList<T> rounds, Func<T, double> measure) => rounds.OrderBy(measure).ElementAt(rounds.Count / 2);

// The middle of an odd number of figures.
static double Median(IEnumerable<double> values) => MedianOf([.. values], v => v);

// "557,402, 602,842, 521,664"
static string Each(IEnumerable<double> values, string format) => string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));

// One round of the host at saturation, with its CPU and the writer's commits over the measured time only.
async Task<PostRound> PostRoundAsync(Riders riders, HttpClient[] clients, TimeSpan roundWarmUp, TimeSpan roundDuration)
{
    var saturating = Load.SaturateAsync(w => clients[w], riders, options.Workers, roundWarmUp, roundDuration);
    await Task.Delay(roundWarmUp);
    var before = await host.MetricsAsync();
    var cpuBefore = host.CpuSeconds();
    var cpuClock = System.Diagnostics.Stopwatch.StartNew();
    var result = await saturating;
    var cpuCores = (host.CpuSeconds() - cpuBefore) / cpuClock.Elapsed.TotalSeconds;
    var after = await host.MetricsAsync();
    double Measured(string sample) => after.Sum(sample) - before.Sum(sample);
    var commits = Measured(HostProcess.CommitDuration + "_count");
    return new PostRound(result, cpuCores, commits, Measured(HostProcess.CommitBatchSize + "_sum") / commits,
        Measured(HostProcess.CommitDuration + "_sum") / commits * 1000, Measured(HostProcess.Allocated) / result.Accepted / 1024);
}

// "48.4 KB (objects 40.1, transport buffers 8.3)"
static string Kilobytes(LiveHeap heap) => $"{heap.Total / 1024.0:0.0} KB (objects {heap.Objects / 1024.0:0.0}, transport buffers {heap.Pinned / 1024.0:0.0})";

// "37 % of bare, " when the phase compared with was run; nothing otherwise.
static string Ratio(double measured, double? ceiling, string name) => ceiling is { } c ? $"{measured / c:P0} of {name}, " : "";

/// <summary>One round of the host's single reports at saturation: the replies, the host's CPU and the writer's commits.</summary>
internal sealed record PostRound(Throughput Result, double CpuCores, double Commits, double PositionsPerCommit, double CommitMilliseconds, double KilobytesPerReport)
{
    public double MicrosecondsPerReport => CpuCores * 1e6 / Result.PerSecond;
}

/// <summary>Command-line options.</summary>
internal sealed record Options(int Seconds, int WarmUp, int Workers, int Riders, int Orders, double Compression, int Connections, string Phases)
{
    public static readonly string[] AllPhases = ["bare", "floor", "raw", "post", "wrk", "batch", "scenario", "burst", "fanout", "trajectory", "memory", "restart"];

    /// <summary>Whether the phase is to run (every phase unless <c>--phases</c> names some).</summary>
    public bool Runs(string phase) => Phases.Split(',').Contains(phase);

    public static Options Parse(string[] args)
    {
        string? Value(string name) => Options.Value(args, name);

        return new Options(
            int.Parse(Value("--seconds") ?? "20", CultureInfo.InvariantCulture),
            int.Parse(Value("--warmup") ?? "20", CultureInfo.InvariantCulture),
            int.Parse(Value("--workers") ?? "64", CultureInfo.InvariantCulture),
            int.Parse(Value("--riders") ?? "20000", CultureInfo.InvariantCulture),
            int.Parse(Value("--orders") ?? "500", CultureInfo.InvariantCulture),
            double.Parse(Value("--compression") ?? "10", CultureInfo.InvariantCulture),
            int.Parse(Value("--connections") ?? "1000", CultureInfo.InvariantCulture),
            Value("--phases") is { } phases
                ? phases.Split(',').All(AllPhases.Contains) ? phases : throw new ArgumentException($"--phases takes some of {string.Join(',', AllPhases)}")
                : string.Join(',', AllPhases));
    }

    public static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
