using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Operations;

/// <summary>
/// The deployment files cannot run here (no container engine); what they rely on is checked instead: every setting
/// they set exists, the paths they probe and scrape answer, and the ports agree.
/// </summary>
public partial class DeploymentFilesTests
{
    private static readonly string Deploy = Path.Combine(MetricsTests.RepositoryRoot(), "deploy");

    private static IEnumerable<string> DeployFiles() =>
        Directory.EnumerateFiles(Deploy, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".json", StringComparison.Ordinal));

    [Fact]
    public void Every_setting_the_deployment_files_set_exists_in_the_configuration()
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(MetricsTests.RepositoryRoot(), "appsettings.json")))!;
        var names = DeployFiles().SelectMany(f => SettingName().Matches(File.ReadAllText(f)).Select(m => m.Value)).ToHashSet();

        names.Should().Contain(["Database__Provider", "Database__SqlServerConnectionString", "ConnectionStrings__Redis", "Auth__SigningKey",
            "Security__AllowedOrigins__0"]);
        names.Where(name => !Exists(settings, name.Split("__"))).Should().BeEmpty("a setting the files set but the host does not read is a mistake");
    }

    [Fact]
    public async Task The_probed_and_scraped_paths_answer_and_the_ports_agree()
    {
        using var host = new TrackingHostFactory();
        var anonymous = host.CreateDefaultClient();
        var text = string.Concat(DeployFiles().Select(File.ReadAllText));

        foreach (var path in new[] { "/health/ready", "/health/live", "/metrics" })
        {
            text.Should().Contain(path);
            (await anonymous.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK, path);
        }

        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));
        File.Exists(Path.Combine(MetricsTests.RepositoryRoot(), Regex.Match(dockerfile, @"dotnet publish (\S+)").Groups[1].Value)).Should().BeTrue();
        Regex.Match(dockerfile, @"ASPNETCORE_URLS=http://\+:(\d+)").Groups[1].Value.Should().Be("8080");
        File.ReadAllText(Path.Combine(Deploy, "k8s", "tracking.yaml")).Should().Contain("containerPort: 8080");
        File.ReadAllText(Path.Combine(Deploy, "prometheus.yml")).Should().Contain("tracking:8080");
    }

    [Fact]
    public void The_autoscaler_scales_on_the_connection_gauge_the_service_exports()
    {
        var manifest = File.ReadAllText(Path.Combine(Deploy, "k8s", "tracking.yaml"));
        manifest.Should().Contain("kind: HorizontalPodAutoscaler");
        var metric = Regex.Match(manifest, @"metric: \{ name: (\w+) \}").Groups[1].Value;
        metric.Should().Be("xiaoxiang_hub_connections");
        XiaoxiangTracking.Modules.Shared.Observability.ServiceMetrics.Names.Should().Contain(metric);
    }

    /// <summary>Whether Foo__Bar__0 names a key of appsettings.json (a number indexes an array).</summary>
    private static bool Exists(JsonNode node, IEnumerable<string> path)
    {
        var current = node;
        foreach (var part in path)
        {
            current = current switch
            {
                JsonObject obj => obj.FirstOrDefault(p => string.Equals(p.Key, part, StringComparison.OrdinalIgnoreCase)) is { Key: not null } found
                    ? found.Value ?? JsonValue.Create("null")
                    : null,
                JsonArray => int.TryParse(part, out _) ? JsonValue.Create("element") : null,
                _ => null,
            };
            if (current is null)
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"\b(?!ASPNETCORE_)[A-Z][A-Za-z]+(__[A-Za-z0-9]+)+\b")]
    private static partial Regex SettingName();
}
