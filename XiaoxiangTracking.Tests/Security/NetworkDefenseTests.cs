using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Security;

/// <summary>The IP deny list, trusted proxies, the hub's origin check, CORS, and HTTPS outside Development.</summary>
public class NetworkDefenseTests
{
    private const string Proxy = "10.0.0.1";

    [Fact]
    public async Task Ops_deny_a_network_at_run_time_it_is_refused_with_403_kept_across_restarts_and_allowed_again()
    {
        using var folder = new TestFolder();
        string id;
        using (var host = new TrackingHostFactory(folder).With("Security:KnownProxies:0", Proxy))
        {
            var ops = host.CreateClient();
            var added = await ops.PostAsJsonAsync("/api/security/deny-list", new { cidr = "203.0.113.0/24", reason = "credential stuffing" });
            var duplicate = await ops.PostAsJsonAsync("/api/security/deny-list", new { cidr = "203.0.113.0/24", reason = "again" });
            var invalid = await ops.PostAsJsonAsync("/api/security/deny-list", new { cidr = "203.0.113.0/99", reason = "typo" });
            id = (await added.ReadJsonAsync())["id"]!.GetValue<string>();

            added.StatusCode.Should().Be(HttpStatusCode.Created);
            duplicate.StatusCode.Should().Be(HttpStatusCode.Conflict);
            invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await Health(host, remote: "203.0.113.7")).Should().Be(403);
            (await Health(host, remote: "198.51.100.2")).Should().Be(200);
        }

        using (var restarted = new TrackingHostFactory(folder).With("Security:KnownProxies:0", Proxy))
        {
            var ops = restarted.CreateClient();
            (await Health(restarted, remote: "203.0.113.200")).Should().Be(403, "the list is persisted");
            (await Health(restarted, remote: Proxy, forwardedFor: "203.0.113.7")).Should().Be(403, "the trusted proxy says who the client is");
            (await Health(restarted, remote: "192.0.2.50", forwardedFor: "198.51.100.2")).Should().Be(200);
            (await Health(restarted, remote: "203.0.113.9", forwardedFor: "198.51.100.2")).Should().Be(403, "an untrusted sender's forwarded header is ignored");

            (await ops.DeleteAsync($"/api/security/deny-list/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
            (await Health(restarted, remote: "203.0.113.7")).Should().Be(200);
            (await ops.GetFromJsonAsync<List<object>>("/api/security/deny-list")).Should().BeEmpty();
        }
    }

    [Theory]
    [InlineData(null, 200)]
    [InlineData("http://localhost:5080", 200)]
    [InlineData("http://localhost", 200)]
    [InlineData("https://evil.example", 403)]
    [InlineData("http://localhost:5080.evil.example", 403)]
    public async Task The_hub_handshake_accepts_only_configured_origins_and_the_hosts_own_pages(string? origin, int expected)
    {
        using var host = new TrackingHostFactory();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/tracking/negotiate?negotiateVersion=1");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        var response = await host.CreateClient().SendAsync(request);

        ((int)response.StatusCode).Should().Be(expected);
    }

    [Theory]
    [InlineData("http://localhost:5080", true)]
    [InlineData("https://evil.example", false)]
    public async Task CORS_answers_configured_origins_by_name_with_credentials_and_others_not_at_all(string origin, bool allowed)
    {
        using var host = new TrackingHostFactory();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/orders");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        var response = await host.CreateClient().SendAsync(preflight);

        if (allowed)
        {
            response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(origin);
            response.Headers.GetValues("Access-Control-Allow-Credentials").Should().Equal("true");
        }
        else
        {
            response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        }
    }

    [Fact]
    public void A_wildcard_origin_is_refused_at_start_up()
    {
        using var host = new TrackingHostFactory().With("Security:AllowedOrigins:0", "*");

        var start = () => host.CreateClient();

        start.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*wildcard*");
    }

    [Fact]
    public async Task Outside_development_plain_HTTP_is_redirected_and_HTTPS_answers_carry_HSTS()
    {
        using var host = new TrackingHostFactory().InEnvironment("Production").With("https_port", "443");
        host.CreateClient();

        var plain = await host.Server.SendAsync(c => Request(c, "http", "track.example.com"));
        var secure = await host.Server.SendAsync(c => Request(c, "https", "track.example.com"));

        plain.Response.StatusCode.Should().Be(StatusCodes.Status307TemporaryRedirect);
        plain.Response.Headers.Location.ToString().Should().Be("https://track.example.com/health/live");
        secure.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        secure.Response.Headers.StrictTransportSecurity.ToString().Should().StartWith("max-age=31536000");
    }

    private static void Request(HttpContext context, string scheme, string host)
    {
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        context.Request.Path = "/health/live";
    }

    private static async Task<int> Health(TrackingHostFactory host, string remote, string? forwardedFor = null)
    {
        var context = await host.Server.SendAsync(request =>
        {
            request.Request.Method = HttpMethods.Get;
            request.Request.Path = "/health/live";
            request.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            if (forwardedFor is not null)
            {
                request.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }
        });
        return context.Response.StatusCode;
    }
}
