using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Notifications;

public class WebhookTests
{
    [Fact]
    public async Task Deliveries_are_signed_and_a_500_is_retried_with_back_off_until_accepted_with_every_attempt_visible()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 1);
        using var host = new TrackingHostFactory()
            .With("Notifications:Webhooks:RetryBaseDelay", "00:00:01")
            .With("Jobs:SchedulePollingInterval", "00:00:01");
        var client = host.CreateClient();
        var registered = await client.PostAsJsonAsync("/api/webhooks",
            new { url = receiver.Url, eventTypes = new[] { "order.paid" }, secret = "a-shared-secret-of-some-length" });
        registered.StatusCode.Should().Be(HttpStatusCode.Created);
        var webhookId = (await registered.ReadJsonAsync())["id"]!.GetValue<string>();

        var order = await client.PlaceAsync();
        (await client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();

        await Eventually.Until(() => receiver.Requests.Count(r => r.Answered == 200) == 1, TimeSpan.FromSeconds(30));
        var attempts = receiver.Requests.ToList();
        attempts.Select(r => r.Answered).Should().Equal(500, 200);
        attempts.Should().OnlyContain(r => r.Event == "order.paid");
        attempts.Select(r => r.DeliveryId).Distinct().Should().ContainSingle("a retry is the same delivery");
        foreach (var attempt in attempts)
        {
            attempt.Signature.Should().Be(Sign("a-shared-secret-of-some-length", attempt.Timestamp, attempt.Body));
            long.Parse(attempt.Timestamp, CultureInfo.InvariantCulture).Should()
                .BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 60);
        }

        var body = JsonNode.Parse(attempts[^1].Body)!;
        body["type"]!.GetValue<string>().Should().Be("order.paid");
        body["data"]!["orderId"]!.GetValue<string>().Should().Be(order.Id());
        body["data"]!["status"]!.GetValue<int>().Should().Be(2);
        body["data"]!["orderVersion"]!.GetValue<long>().Should().Be(2);

        var deliveries = await Eventually.Until(async () =>
            await client.GetFromJsonAsync<JsonArray>($"/api/webhooks/{webhookId}/deliveries") is [{ } only] && only["status"]!.GetValue<string>() == "Succeeded"
                ? only
                : null);
        deliveries["id"]!.GetValue<string>().Should().Be(attempts[0].DeliveryId);
        deliveries["attempts"]!.AsArray().Select(a => a!["statusCode"]!.GetValue<int>()).Should().Equal(500, 200);
        receiver.Requests.Should().NotContain(r => r.Event == "order.placed", "the webhook did not ask for it");
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_or_another_body_does_not_verify()
    {
        var signature = Sign("secret-one-xxxxxxxx", "1764057600", """{"a":1}""");

        signature.Should().NotBe(Sign("secret-two-xxxxxxxx", "1764057600", """{"a":1}"""));
        signature.Should().NotBe(Sign("secret-one-xxxxxxxx", "1764057600", """{"a":2}"""));
        signature.Should().NotBe(Sign("secret-one-xxxxxxxx", "1764057601", """{"a":1}"""));
        signature.Should().StartWith("sha256=").And.HaveLength(7 + 64);
    }

    [Fact]
    public async Task Registering_needs_an_absolute_http_url_and_known_event_types_and_unknown_webhooks_are_404()
    {
        using var host = new TrackingHostFactory();
        var client = host.CreateClient();

        var invalid = await client.PostAsJsonAsync("/api/webhooks", new { url = "ftp://x", eventTypes = new[] { "order.eaten" }, secret = "short" });
        var unknown = await client.GetAsync("/api/webhooks/00000000000000000000000000000000/deliveries");
        var generated = await (await client.PostAsJsonAsync("/api/webhooks", new { url = "https://erp.example.com/hook", eventTypes = new[] { "rider.assigned" } })).ReadJsonAsync();
        var listed = await client.GetFromJsonAsync<JsonArray>("/api/webhooks");
        var deleted = await client.DeleteAsync($"/api/webhooks/{generated["id"]!.GetValue<string>()}");

        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await invalid.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("url", "eventTypes[0]", "secret");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        generated["secret"]!.GetValue<string>().Should().HaveLength(44, "32 random bytes, base64");
        listed!.Should().ContainSingle().Which!["secret"].Should().BeNull("the secret is shown only once");
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetFromJsonAsync<JsonArray>("/api/webhooks")).Should().BeEmpty();
    }

    /// <summary>What an integrator would write to verify a delivery.</summary>
    private static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    private sealed record ReceivedRequest(string Event, string DeliveryId, string Timestamp, string Signature, string Body, int Answered);

    /// <summary>An integrator's endpoint: a real Kestrel server on 127.0.0.1 that fails the first requests with 500.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app) => _app = app;

        public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

        public string Url { get; private set; } = string.Empty;

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var receiver = new Receiver(app);
            var seen = 0;
            app.MapPost("/hook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var status = Interlocked.Increment(ref seen) <= failFirst ? 500 : 200;
                receiver.Requests.Enqueue(new ReceivedRequest(
                    request.Headers["X-Xiaoxiang-Event"].ToString(),
                    request.Headers["X-Xiaoxiang-Delivery"].ToString(),
                    request.Headers["X-Xiaoxiang-Timestamp"].ToString(),
                    request.Headers["X-Xiaoxiang-Signature"].ToString(),
                    body,
                    status));
                return Results.StatusCode(status);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver.Url = $"{address}/hook";
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
