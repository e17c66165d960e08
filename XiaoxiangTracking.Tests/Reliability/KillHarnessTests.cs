using Xunit.Abstractions;
using XiaoxiangTracking.Testing;

namespace XiaoxiangTracking.Tests.Reliability;

/// <summary>
/// The kill -9 harness (XiaoxiangTracking.Testing, which the bench program's reliability command also runs) against the
/// real host process (see docs/benchmarks.md for the 200-cycle run): 50 kill -9 cycles while riders report and orders
/// move, then the database is checked.
/// </summary>
public class KillHarnessTests(ITestOutputHelper output)
{
    private const int Cycles = 50;

    [Fact]
    public async Task Across_kill_9_restarts_every_acknowledged_fix_is_stored_once_and_every_order_is_in_a_legal_state()
    {
        var seed = Random.Shared.Next();
        using var log = new StringWriter();

        var report = await new KillHarness(Cycles, seed, log).RunAsync();

        output.WriteLine(log.ToString());
        output.WriteLine(report.Summary);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "reliability.txt"), report.Summary + Environment.NewLine);
        report.Problems.Should().BeEmpty($"seed {seed} must keep every promise");
        report.Cycles.Should().Be(Cycles);
        report.ReportsResent.Should().BePositive("kills cut requests off and the riders sent those fixes again");
        report.ReportsAcknowledged.Should().BeGreaterThan(Cycles * 10);
        report.OrdersCompleted.Should().BePositive();
        report.OrdersCancelled.Should().BePositive();
    }
}
