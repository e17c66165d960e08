using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Security;

/// <summary>Which tokens the API accepts: the bad-token set (OWASP API2, broken authentication).</summary>
public class TokenValidationTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private const string Route = "/api/tracking/alerts";

    public static TheoryData<string> BadTokens() =>
    [
        "garbage", "unsigned (alg none)", "signed with another key", "another issuer", "another audience", "expired beyond the skew",
        "not valid yet", "without an expiry", "HS512 instead of HS256", "without a subject's role",
    ];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_refused_with_401_problem_json(string kind)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = Claims(now, TimeSpan.FromHours(1));
        var token = kind switch
        {
            "garbage" => "not-a-jwt",
            "unsigned (alg none)" => $"{Part(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" })}.{Part(claims)}.",
            "signed with another key" => Sign(claims, RandomNumberGenerator.GetBytes(32)),
            "another issuer" => Sign(With(claims, "iss", "https://evil.example")),
            "another audience" => Sign(With(claims, "aud", "some-other-api")),
            "expired beyond the skew" => Sign(Claims(now.AddHours(-2), TimeSpan.FromHours(2) - TimeSpan.FromSeconds(31))),
            "not valid yet" => Sign(With(claims, "nbf", now.AddMinutes(2).ToUnixTimeSeconds())),
            "without an expiry" => Sign(Without(claims, "exp")),
            "HS512 instead of HS256" => Sign(claims, algorithm: "HS512"),
            "without a subject's role" => Sign(Without(claims, "role")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var response = await Send(token);

        response.StatusCode.Should().Be(kind == "without a subject's role" ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_valid_token_and_one_expired_within_the_30_second_skew_are_accepted()
    {
        var now = DateTimeOffset.UtcNow;

        var valid = await Send(Sign(Claims(now, TimeSpan.FromHours(1))));
        var justExpired = await Send(Sign(Claims(now.AddMinutes(-10), TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(10))));

        valid.StatusCode.Should().Be(HttpStatusCode.OK);
        justExpired.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_query_string_token_is_read_on_the_hub_path_only()
    {
        using var anonymous = host.CreateDefaultClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var token = host.TokenFor(TestCaller.DefaultOps);

        var rest = await anonymous.GetAsync($"{Route}?access_token={token}");
        var hub = await anonymous.PostAsync($"/hubs/tracking/negotiate?negotiateVersion=1&access_token={token}", null);

        rest.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        hub.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_hub_connection_is_closed_when_its_token_expires()
    {
        var token = host.Tokens.For(TestCaller.DefaultOps, lifetime: TimeSpan.FromSeconds(3));
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.Server.BaseAddress, "/hubs/tracking"), options =>
            {
                options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                options.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
            })
            .Build();
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };

        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeFleet", (string?)null);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        connection.State.Should().Be(HubConnectionState.Disconnected);
    }

    [Fact]
    public async Task In_development_the_token_endpoint_issues_tokens_the_api_accepts_and_elsewhere_it_does_not_exist()
    {
        using var development = new TrackingHostFactory().InEnvironment("Development");
        using var anonymous = development.CreateDefaultClient();
        anonymous.DefaultRequestHeaders.Authorization = null;

        var issued = await anonymous.PostAsJsonAsync("/api/dev/tokens", new { role = "rider", subject = "r-dev-1" });
        var badRole = await anonymous.PostAsJsonAsync("/api/dev/tokens", new { role = "admin", subject = "r-dev-1" });
        var noWarehouse = await anonymous.PostAsJsonAsync("/api/dev/tokens", new { role = "warehouse", subject = "w-1" });
        var token = (await issued.ReadJsonAsync())["accessToken"]!.GetValue<string>();
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var asRider = await anonymous.GetAsync("/api/tracking/riders/r-dev-1/position");
        var asOps = await anonymous.GetAsync(Route);
        var elsewhere = await host.CreateClient().PostAsJsonAsync("/api/dev/tokens", new { role = "ops", subject = "me" });

        issued.StatusCode.Should().Be(HttpStatusCode.OK);
        badRole.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noWarehouse.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("warehouseId");
        asRider.StatusCode.Should().Be(HttpStatusCode.NotFound, "the rider is authenticated and has no position yet");
        asOps.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        elsewhere.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> Send(string token)
    {
        using var client = host.CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(Route);
    }

    private static JsonObject Claims(DateTimeOffset issuedAt, TimeSpan lifetime) => new()
    {
        ["iss"] = TestTokens.Issuer,
        ["aud"] = TestTokens.Audience,
        ["sub"] = "ops-token-test",
        ["role"] = "ops",
        ["iat"] = issuedAt.ToUnixTimeSeconds(),
        ["nbf"] = issuedAt.ToUnixTimeSeconds(),
        ["exp"] = (issuedAt + lifetime).ToUnixTimeSeconds(),
    };

    private static JsonObject With(JsonObject claims, string name, JsonNode value)
    {
        var copy = claims.DeepClone().AsObject();
        copy[name] = value;
        return copy;
    }

    private static JsonObject Without(JsonObject claims, string name)
    {
        var copy = claims.DeepClone().AsObject();
        copy.Remove(name);
        return copy;
    }

    private string Sign(JsonObject claims, byte[]? key = null, string algorithm = "HS256")
    {
        var unsigned = $"{Part(new JsonObject { ["alg"] = algorithm, ["typ"] = "JWT" })}.{Part(claims)}";
        var bytes = Encoding.ASCII.GetBytes(unsigned);
        var signature = algorithm == "HS512" ? HMACSHA512.HashData(key ?? host.Tokens.Key, bytes) : HMACSHA256.HashData(key ?? host.Tokens.Key, bytes);
        return $"{unsigned}.{Base64Url(signature)}";
    }

    private static string Part(JsonObject json) => Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public class TokenRetentionTests
{
    [Fact]
    public async Task A_validated_token_is_not_kept_in_the_requests_authentication_properties()
    {
        using var host = new TrackingHostFactory();
        var seen = new List<AuthenticateResult>();
        using var probed = host.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSingleton<IStartupFilter>(new AuthenticationProbe(seen))));
        var client = probed.CreateClient();
        var token = host.TokenFor(TestCaller.DefaultOps);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        (await client.GetAsync("/api/tracking/alerts")).StatusCode.Should().Be(HttpStatusCode.OK);

        var result = seen.Should().ContainSingle().Subject;
        result.Succeeded.Should().BeTrue();
        result.Principal!.FindFirst("sub")!.Value.Should().Be(TestCaller.DefaultOps.Subject);
        result.Properties!.GetTokenValue("access_token").Should().BeNull();
        result.Properties!.Items.Values.Should().NotContain(value => value != null && value.Contains(token, StringComparison.Ordinal));
    }

    /// <summary>Records, after each request, what authentication concluded for it.</summary>
    private sealed class AuthenticationProbe(List<AuthenticateResult> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                await inner(context);
                if (context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is { } result)
                {
                    lock (seen)
                    {
                        seen.Add(result);
                    }
                }
            });
            next(app);
        };
    }
}
