using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Host;

/// <summary>
/// The host's own request log category is off: it logs whole URLs (hub URLs carry tokens), and while it is on at any
/// level the host starts an Activity and a log scope for every request, which nothing here reads. A host that cannot
/// start still says why.
/// </summary>
public class RequestDiagnosticsTests
{
    private const string RequestLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Fact]
    public async Task A_request_runs_without_an_activity_or_a_request_log_scope_at_every_log_level()
    {
        using var host = new TrackingHostFactory().CaptureLogs();
        var seen = new ConcurrentQueue<string?>();
        using var probed = host.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddSingleton<IStartupFilter>(new Probe(next => app =>
            {
                app.Use((context, pipeline) =>
                {
                    seen.Enqueue(Activity.Current?.OperationName);
                    return pipeline(context);
                });
                next(app);
            }))));

        (await probed.CreateClient().GetAsync("/health/live")).EnsureSuccessStatusCode();

        seen.Should().Equal([null], "no request starts an Activity when nothing listens for one");
        host.Logs!.Messages.Should().NotContain(m => m.Contains(RequestLogCategory, StringComparison.Ordinal));
        host.Logs.Messages.Should().Contain(m => m.Contains("/health/live", StringComparison.Ordinal), "requests are still logged, by HTTP logging");
    }

    [Fact]
    public void A_host_whose_request_pipeline_cannot_be_built_logs_why()
    {
        using var host = new TrackingHostFactory().CaptureLogs();
        using var broken = host.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddSingleton<IStartupFilter>(new Probe(_ => throw new InvalidOperationException("pipeline-canary: cannot be built")))));

        broken.Invoking(b => b.CreateClient()).Should().Throw<InvalidOperationException>().WithMessage("pipeline-canary*");

        host.Logs!.Messages.Should().Contain(m => m.StartsWith("Error Microsoft.Extensions.Hosting.Internal.Host: Hosting failed to start", StringComparison.Ordinal)
            && m.Contains("pipeline-canary: cannot be built", StringComparison.Ordinal), "the generic host logs what stopped the start");
    }

    private sealed class Probe(Func<Action<IApplicationBuilder>, Action<IApplicationBuilder>> configure) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => configure(next);
    }
}
