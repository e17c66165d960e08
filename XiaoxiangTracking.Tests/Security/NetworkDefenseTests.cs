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

    [Fact]
    public async Task With_no_proxy_configured_a_forwarded_header_moves_no_one_past_the_deny_list_or_the_connect_limit()
    {
        using var host = new TrackingHostFactory().With("Security:RateLimits:HubConnectsPerAddressPerMinute", "2");
        var ops = host.CreateClient();
        var added = await ops.PostAsJsonAsync("/api/security/deny-list", new { cidr = "203.0.113.0/24", reason = "scraping" });
        var id = (await added.ReadJsonAsync())["id"]!.GetValue<string>();
        var token = host.TokenFor(TestCaller.DefaultOps);

        (await Health(host, remote: "203.0.113.7", forwardedFor: "198.51.100.2")).Should().Be(403, "a denied sender cannot claim another address");
        (await Health(host, remote: "127.0.0.1", forwardedFor: "198.51.100.2")).Should().Be(200);
        (await Health(host, remote: "198.51.100.2", forwardedFor: "203.0.113.7")).Should().Be(200, "nobody can frame another address");
        (await Send(host, HttpMethods.Delete, $"/api/security/deny-list/{id}", "203.0.113.7", "127.0.0.1", token)).Should().Be(403);
        (await ops.GetFromJsonAsync<List<object>>("/api/security/deny-list")).Should().HaveCount(1, "the denied sender could not lift its own entry");

        var connects = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            connects.Add(await Send(host, HttpMethods.Post, "/hubs/tracking/negotiate?negotiateVersion=1", "198.51.100.9", $"192.0.2.{i + 1}", token));
        }

        connects.Should().Equal(200, 200, 429);
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

    private static Task<int> Health(TrackingHostFactory host, string remote, string? forwardedFor = null) =>
        Send(host, HttpMethods.Get, "/health/live", remote, forwardedFor);

    private static async Task<int> Send(TrackingHostFactory host, string method, string pathAndQuery, string remote, string? forwardedFor, string? token = null)
    {
        var context = await host.Server.SendAsync(request =>
        {
            var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
            request.Request.Method = method;
            request.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
            request.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
            request.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            if (forwardedFor is not null)
            {
                request.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }

            if (token is not null)
            {
                request.Request.Headers.Authorization = $"Bearer {token}";
            }
        });
        return context.Response.StatusCode;
    }
}
