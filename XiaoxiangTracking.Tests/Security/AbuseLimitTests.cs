using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Security;

/// <summary>Rate limits and size caps (OWASP API4, unrestricted resource consumption).</summary>
public class AbuseLimitTests
{
    [Fact]
    public async Task A_rider_over_the_position_rate_gets_429_with_Retry_After_while_other_riders_and_ops_go_on()
    {
        using var host = new TrackingHostFactory().With("Security:RateLimits:PositionsPerRiderPerMinute", "3");
        var (busy, calm) = (RiderApp.NewRider(), RiderApp.NewRider());
        var rider = host.ClientFor(TestCaller.Rider(busy));
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);

        var replies = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            replies.Add(await rider.PostAsJsonAsync("/api/tracking/positions", Fix(busy, i, start)));
        }

        replies.Take(3).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        var limited = replies[3];
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(1, 60);
        limited.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await limited.ReadJsonAsync())["code"]!.GetValue<string>().Should().Be("rate_limited");
        (await host.ClientFor(TestCaller.Rider(calm)).PostAsJsonAsync("/api/tracking/positions", Fix(calm, 0, start))).StatusCode.Should().Be(HttpStatusCode.OK);
        for (var i = 4; i < 8; i++)
        {
            (await host.CreateClient().PostAsJsonAsync("/api/tracking/positions", Fix(busy, i, start))).StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task A_customer_over_the_order_action_rate_gets_429()
    {
        using var host = new TrackingHostFactory().With("Security:RateLimits:OrderActionsPerCustomerPerMinute", "2");
        var customer = host.ClientFor(TestCaller.Customer("c-hasty"));

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await customer.GetAsync("/api/orders")).StatusCode);
        }

        codes.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
        (await host.ClientFor(TestCaller.Customer("c-patient")).GetAsync("/api/orders")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Hub_connections_from_one_address_are_limited_but_an_open_connection_keeps_working()
    {
        using var host = new TrackingHostFactory().With("Security:RateLimits:HubConnectsPerAddressPerMinute", "2");
        await using var first = await HubClient.ConnectAsync(host, Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling);

        var second = await host.CreateClient().PostAsync("/hubs/tracking/negotiate?negotiateVersion=1", null);
        var third = await host.CreateClient().PostAsync("/hubs/tracking/negotiate?negotiateVersion=1", null);
        await first.Connection.InvokeAsync("SubscribeFleet", (string?)null);

        second.StatusCode.Should().Be(HttpStatusCode.OK);
        third.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        third.Headers.Contains("Retry-After").Should().BeTrue();
        first.Connection.State.Should().Be(HubConnectionState.Connected, "the polls of an open long-polling connection are not new connections");
    }

    [Fact]
    public async Task Requests_without_a_valid_token_are_limited_per_address_and_signed_in_callers_are_not()
    {
        using var host = new TrackingHostFactory().With("Security:RateLimits:AnonymousRequestsPerAddressPerMinute", "5");
        host.CreateClient();
        var expired = host.Tokens.For(TestCaller.DefaultOps, DateTimeOffset.UtcNow.AddDays(-2), TimeSpan.FromHours(1));

        var guesses = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            guesses.Add(await Send(host, "198.51.100.7", i % 2 == 0 ? "not-a-token" : expired, "/api/orders/o-1"));
        }

        guesses.Should().Equal(401, 401, 401, 401, 401, 429, 429, 429);
        (await Send(host, "198.51.100.7", token: null, "/health/live")).Should().Be(429, "an address over its limit is refused whatever it asks");
        (await Send(host, "198.51.100.8", token: null, "/health/live")).Should().Be(200, "other addresses go on");
        (await Send(host, "198.51.100.7", host.TokenFor(TestCaller.Customer("c-honest")), "/api/orders")).Should().Be(200, "a signed-in caller is not an anonymous one");

        var limited = await host.Server.SendAsync(c =>
        {
            c.Request.Path = "/api/orders";
            c.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.7");
        });
        int.Parse(limited.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(1, 60);
        limited.Response.ContentType.Should().Be("application/problem+json");
    }

    private static async Task<int> Send(TrackingHostFactory host, string remote, string? token, string path)
    {
        var context = await host.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            if (token is not null)
            {
                c.Request.Headers.Authorization = $"Bearer {token}";
            }
        });
        return context.Response.StatusCode;
    }

    [Fact]
    public async Task A_connection_calling_too_fast_is_refused_calls_and_stays_connected()
    {
        using var host = new TrackingHostFactory().With("Notifications:MaxCallsPerSecond", "1").With("Notifications:CallBurst", "3");
        await using var client = await HubClient.ConnectAsync(host);

        var calls = Enumerable.Range(0, 10).Select(i => client.Connection.InvokeAsync("UnsubscribeOrder", $"o-{i}")).ToList();
        var outcomes = await Task.WhenAll(calls.Select(async call =>
        {
            try
            {
                await call;
                return "ok";
            }
            catch (HubException ex)
            {
                return ex.Message;
            }
        }));

        outcomes.Count(o => o == "ok").Should().BeInRange(3, 4);
        outcomes.Where(o => o != "ok").Should().NotBeEmpty().And.OnlyContain(o => o.Contains("Too many calls", StringComparison.Ordinal));
        client.Connection.State.Should().Be(HubConnectionState.Connected);
    }

    [Fact]
    public async Task A_hub_message_over_the_size_limit_closes_the_connection()
    {
        using var host = new TrackingHostFactory();
        await using var client = await HubClient.ConnectAsync(host);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var huge = () => client.Connection.InvokeAsync("SubscribeOrder", new string('x', 10_000), (long?)null);

        await huge.Should().ThrowAsync<Exception>();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        client.Connection.State.Should().Be(HubConnectionState.Disconnected);
    }

    [Fact]
    public async Task On_Kestrel_a_body_over_one_megabyte_is_refused_with_413()
    {
        using var host = new TrackingHostFactory();
        host.UseKestrel(0);
        host.StartServer();
        var client = host.CreateClient();
        client.BaseAddress.Should().NotBeNull();
        var body = new StringContent($"{{\"riderId\":\"{new string('r', 2_000_000)}\"}}", Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/api/tracking/positions/batch", body);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge, await response.Content.ReadAsStringAsync());
    }

    private static object Fix(string riderId, int index, DateTimeOffset start) => new
    {
        riderId,
        pointId = $"p-{index}",
        fixTime = start.AddSeconds(index * 5),
        latitude = 31.22 + (index * 0.0001),
        longitude = 121.54,
        accuracy = 8,
    };
}
