using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Robustness;

/// <summary>
/// Errors are problem+json whatever the client's <c>Accept</c> says: every endpoint, asked for HTML, XML, an event
/// stream, an image or nothing JSON, answers its own 4xx as problem+json — never a 500, never the exception page,
/// never a stack trace, and no error in the log.
/// </summary>
public class AcceptSweepTests(ITestOutputHelper output)
{
    private static readonly string[] Accepts =
    [
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "text/html",
        "application/xml",
        "text/event-stream",
        "image/png",
        "application/json;q=0",
        "not a media type",
    ];

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task Every_endpoint_answers_errors_as_problem_json_for_any_Accept(string environment)
    {
        using var host = new TrackingHostFactory().InEnvironment(environment).CaptureLogs()
            .With("Security:RateLimits:AnonymousRequestsPerAddressPerMinute", "100000");
        var ops = host.CreateClient();
        var anonymous = host.CreateDefaultClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var endpoints = BadInputSweepTests.ApiRoutes(host);
        var failures = new List<string>();
        var observed = new List<(string Method, string Route, int Status)>();
        var requests = 0;

        async Task<int> Check(HttpClient client, string method, string path, string accept, string? body, int? expected = null, Action<HttpRequestMessage>? more = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            more?.Invoke(request);
            using var response = await client.SendAsync(request);
            requests++;
            var status = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500 || (expected is { } e && status != e) || (status >= 400 && type != "application/problem+json")
                || text.Contains(".cs:line", StringComparison.Ordinal) || text.Contains("   at ", StringComparison.Ordinal))
            {
                failures.Add($"{method} {path} Accept '{accept}' → {status} {type} {text[..Math.Min(120, text.Length)]}");
            }

            return status;
        }

        foreach (var accept in Accepts)
        {
            foreach (var (method, route) in endpoints)
            {
                var path = System.Text.RegularExpressions.Regex.Replace(route, "{[^}]+}", "o-unknown");
                var body = method is "GET" or "DELETE" ? null : "{}";
                observed.Add((method, route, await Check(anonymous, method, path, accept, body, route.StartsWith("/api/dev/", StringComparison.Ordinal) ? null : 401)));
                observed.Add((method, route, await Check(ops, method, path, accept, body)));
            }

            await Check(ops, "GET", "/api/orders/o-unknown", accept, null, 404);
            await Check(ops, "GET", "/api/no-such-route", accept, null, 404);
            await Check(ops, "GET", "/no-such-page", accept, null, 404);
            // Without a token every route that is not public asks for one first, known or not.
            await Check(anonymous, "GET", "/no-such-page", accept, null, 401);
            await Check(ops, "POST", "/api/orders", accept, "{", 400);
            // A cross-site page's EventSource (it sends Accept: text/event-stream) to the hub.
            await Check(anonymous, "GET", $"/hubs/tracking?access_token={host.TokenFor(TestCaller.DefaultOps)}", accept, null, 403,
                request => request.Headers.Add("Origin", "https://evil.example"));
        }

        output.WriteLine($"{requests} requests to {endpoints.Count} endpoints with {Accepts.Length} Accept values.");
        failures.Should().BeEmpty(string.Join('\n', failures.Distinct().Take(40)));
        var undocumented = (await OpenApiDocument.ReadAsync(ops)).Undocumented(observed.Where(o => o.Status >= 400));
        undocumented.Should().BeEmpty("Swagger lists every status a route answers: " + string.Join(", ", undocumented));
        host.Logs!.Messages.Where(m => m.StartsWith("Error", StringComparison.Ordinal) || m.StartsWith("Critical", StringComparison.Ordinal))
            .Should().BeEmpty("a client's error is not the server's");
    }
}
