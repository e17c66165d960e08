using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Shared.Observability;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Features.Alerts;
using XiaoxiangTracking.Testing;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Operations;

/// <summary>What <c>/metrics</c> tells Prometheus after real traffic, and the dashboard that reads it.</summary>
public partial class MetricsTests
{
    [Fact]
    public async Task Metrics_follow_connections_pushes_ingest_alerts_the_outbox_the_cache_and_failed_jobs()
    {
        using var host = new TrackingHostFactory();
        var rider = RiderApp.NewRider();
        var id = await host.DeliveringOrderAsync(rider);
        await using var watcher = await HubClient.ConnectAsync(host);
        await watcher.SubscribeOrderAsync(id);
        await watcher.WaitForVersion(id, 3);
        await host.ClientFor(TestCaller.Rider(rider)).ReportAsync(rider, RiderApp.AlongRoute(0.1), DateTimeOffset.UtcNow);
        await watcher.WaitForVersion(id, 4);
        var ops = host.CreateClient();
        await ops.LiveWhen(id, live => live["trackingVersion"]!.GetValue<long>() >= 4);
        await ops.LiveWhen(id, live => live["trackingVersion"]!.GetValue<long>() >= 4);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AlertBook>()
                .RaiseAsync(id, AlertType.TimeoutWarning, rider, new AlertFacts(AlertReason.DueSoon, Minutes: 5, PromisedAt: DateTimeOffset.UtcNow.AddMinutes(5)), null, false, CancellationToken.None);
        }

        host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => FailingJob.Run());
        var anonymous = host.CreateDefaultClient();

        var metrics = await Eventually.Until(async () =>
            Parse(await anonymous.GetStringAsync("/metrics")) is var m && m.ContainsKey(Sample(ServiceMetrics.JobFailuresName, "job", "FailingJob.Run")) ? m : null);

        metrics[Sample(ServiceMetrics.HubConnectionsName, "transport", "WebSockets")].Should().Be(1);
        metrics[Sample(ServiceMetrics.PushesName, "message", "OrderUpdated")].Should().BeGreaterThanOrEqualTo(2, "a snapshot and the move");
        metrics[ServiceMetrics.IngestQueueDepthName].Should().Be(0);
        metrics[ServiceMetrics.CommitBatchSizeName + "_count"].Should().BeGreaterThanOrEqualTo(1);
        metrics[ServiceMetrics.CommitBatchSizeName + "_sum"].Should().BeGreaterThanOrEqualTo(1);
        metrics[ServiceMetrics.CommitDurationName + "_count"].Should().BeGreaterThanOrEqualTo(1);
        metrics[ServiceMetrics.IngestToPushName + "_count"].Should().Be(1, "one report reached one watcher");
        metrics[Sample(ServiceMetrics.AlertsOpenName, "type", "TimeoutWarning")].Should().Be(1);
        metrics[Sample(ServiceMetrics.AlertsOpenName, "type", "Stall")].Should().Be(0);
        metrics.Should().ContainKey(Sample(ServiceMetrics.OutboxLagName, "module", "orders"));
        metrics[Sample(ServiceMetrics.LiveCacheLookupsName, "result", "hit")].Should().BeGreaterThanOrEqualTo(1);
        metrics[Sample(ServiceMetrics.JobFailuresName, "job", "FailingJob.Run")].Should().BeGreaterThanOrEqualTo(1);
        metrics[Sample(ServiceMetrics.JobFailuresName, "job", "WebhookSweep.SweepAsync")].Should().Be(0, "a job that ran and never failed has its series at 0");
        metrics[ServiceMetrics.GcAllocatedName].Should().BeGreaterThan(0)
            .And.BeLessThanOrEqualTo(GC.GetTotalAllocatedBytes(), "the bytes this process had allocated when it was scraped");

        DashboardMetrics().Should().BeSubsetOf(metrics.Keys.Select(sample => sample.Split('{')[0]), "every dashboard panel reads what /metrics has after real traffic");

        await watcher.DisposeAsync();
        await Eventually.Until(async () =>
            Parse(await anonymous.GetStringAsync("/metrics"))[Sample(ServiceMetrics.HubConnectionsName, "transport", "WebSockets")] == 0);
    }

    [Fact]
    public void The_metrics_read_by_name_from_outside_the_host_are_ones_it_exports()
    {
        HostProcess.MetricsRead.Should().BeSubsetOf(ServiceMetrics.Names, "the bench reads the host's metrics over HTTP by these names");
    }

    [Fact]
    public void The_grafana_dashboard_shows_every_service_metric_and_the_http_and_runtime_series()
    {
        var used = DashboardMetrics();

        used.Where(name => name.StartsWith("xiaoxiang_", StringComparison.Ordinal)).Select(name => Regex.Replace(name, "_(bucket|count|sum)$", "")).Distinct()
            .Should().BeEquivalentTo(ServiceMetrics.Names, "every service metric has its panel");
        used.Should().Contain(["http_requests_received_total", "http_request_duration_seconds_bucket", "dotnet_collection_count_total", "process_working_set_bytes"]);
    }

    /// <summary>The metric names the Grafana dashboard's panels query.</summary>
    private static HashSet<string> DashboardMetrics()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "grafana-dashboard.json")))!;
        return dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>())
            .SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet();
    }

    /// <summary>A sample's key as the exposition format writes it: name{label="value"}.</summary>
    internal static string Sample(string name, string label, string value) => $"{name}{{{label}=\"{value}\"}}";

    internal static Dictionary<string, double> Parse(string exposition) => exposition.Split('\n')
        .Where(line => line.Length > 0 && line[0] != '#')
        .Select(line => line.Split(' '))
        .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));

    internal static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "XiaoxiangTracking.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("The repository root (XiaoxiangTracking.sln) was not found.");
    }

    [GeneratedRegex(@"\b(xiaoxiang|http|dotnet|process)_[a-z_]+")]
    private static partial Regex MetricName();
}

/// <summary>A background job that always fails.</summary>
public static class FailingJob
{
    public static void Run() => throw new InvalidOperationException("This job fails on purpose.");
}
