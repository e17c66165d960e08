using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Shared.Idempotency;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Orders;

public class IdempotencyTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task A_retried_place_with_the_same_key_and_body_returns_the_first_response_and_creates_one_order()
    {
        var key = Guid.NewGuid().ToString();
        var customer = $"c-idem-{Guid.NewGuid():N}"[..32];
        var body = OrderRequests.NewOrder(customer);

        var first = await Send(HttpMethod.Post, "/api/orders", body, key);
        var retry = await Send(HttpMethod.Post, "/api/orders", body, key);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.Location.Should().Be(first.Headers.Location);
        retry.Headers.GetValues(IdempotencyOptions.ReplayedHeaderName).Should().Equal("true");
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        var mine = await _client.GetFromJsonAsync<JsonObject>($"/api/orders?customerId={customer}");
        mine!["items"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task Another_caller_reusing_a_key_never_gets_the_first_callers_stored_reply()
    {
        var key = Guid.NewGuid().ToString();
        var body = OrderRequests.NewOrder();
        body.Remove("customerId");
        var alice = host.ClientFor(TestCaller.Customer("c-idem-alice"));
        var mallory = host.ClientFor(TestCaller.Customer("c-idem-mallory"));

        var first = await alice.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(body),
            Headers = { { IdempotencyOptions.HeaderName, key } },
        });
        var replayAttempt = await mallory.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(body),
            Headers = { { IdempotencyOptions.HeaderName, key } },
        });

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        replayAttempt.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await replayAttempt.Content.ReadAsStringAsync()).Should().NotContain("c-idem-alice");
    }

    [Fact]
    public async Task A_retried_payment_returns_the_first_response_instead_of_409()
    {
        var order = await _client.PlaceAsync();
        var key = Guid.NewGuid().ToString();
        var payment = new JsonObject { ["paymentReference"] = "wx-9", ["amount"] = order.Total() };

        var first = await Send(HttpMethod.Post, $"/api/orders/{order.Id()}/pay", payment, key);
        var retry = await Send(HttpMethod.Post, $"/api/orders/{order.Id()}/pay", payment, key);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        (await retry.ReadJsonAsync())["orderVersion"]!.GetValue<long>().Should().Be(2);
    }

    [Fact]
    public async Task A_retried_hand_over_and_delivery_return_their_first_responses_instead_of_409()
    {
        var order = await _client.PlaceAsync();
        (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        var handOver = new JsonObject { ["warehouseId"] = OrderRequests.WarehouseId, ["riderId"] = "rider-idem" };
        var delivery = new JsonObject { ["riderId"] = "rider-idem" };
        var (pickedKey, deliveredKey) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        var picked = await Send(HttpMethod.Post, $"/api/orders/{order.Id()}/picked", handOver, pickedKey);
        var pickedAgain = await Send(HttpMethod.Post, $"/api/orders/{order.Id()}/picked", handOver, pickedKey);
        var delivered = await Send(HttpMethod.Post, $"/api/orders/{order.Id()}/delivered", delivery, deliveredKey);
        var deliveredAgain = await Send(HttpMethod.Post, $"/api/orders/{order.Id()}/delivered", delivery, deliveredKey);

        new[] { picked, pickedAgain, delivered, deliveredAgain }.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        (await pickedAgain.ReadJsonAsync())["status"]!.GetValue<int>().Should().Be(3);
        (await deliveredAgain.ReadJsonAsync())["status"]!.GetValue<int>().Should().Be(4);
        deliveredAgain.Headers.GetValues(IdempotencyOptions.ReplayedHeaderName).Should().Equal("true");
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422()
    {
        var key = Guid.NewGuid().ToString();
        (await Send(HttpMethod.Post, "/api/orders", OrderRequests.NewOrder("c-a"), key)).EnsureSuccessStatusCode();

        var response = await Send(HttpMethod.Post, "/api/orders", OrderRequests.NewOrder("c-b"), key);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.ReadJsonAsync())["code"]!.GetValue<string>().Should().Be("idempotency_key_reused");
    }

    [Fact]
    public async Task Retries_racing_the_first_request_wait_for_it_and_get_its_reply_with_one_order_placed()
    {
        var key = Guid.NewGuid().ToString();
        var customer = $"c-race-{Guid.NewGuid():N}"[..32];
        var body = OrderRequests.NewOrder(customer);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Send(HttpMethod.Post, "/api/orders", body, key)));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        responses.Count(r => r.Headers.Contains(IdempotencyOptions.ReplayedHeaderName)).Should().Be(7);
        (await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct().Should().ContainSingle();
        var mine = await _client.GetFromJsonAsync<JsonObject>($"/api/orders?customerId={customer}");
        mine!["items"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task A_key_without_a_reply_left_by_an_older_version_does_not_block_the_retry()
    {
        var key = Guid.NewGuid().ToString();
        await host.WithOrdersDb(async db =>
        {
            db.Add(new IdempotencyRecord { Key = key, RequestHash = "stale", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });

        var response = await Send(HttpMethod.Post, "/api/orders", OrderRequests.NewOrder(), key);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_failed_request_releases_its_key_so_the_corrected_retry_runs()
    {
        var order = await _client.PlaceAsync();
        var key = Guid.NewGuid().ToString();
        var payment = new JsonObject { ["paymentReference"] = "wx-1", ["amount"] = order.Total() };

        (await Send(HttpMethod.Post, $"/api/orders/{order.Id()}/pay", new JsonObject { ["paymentReference"] = "wx-1", ["amount"] = 1m }, key))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
        var stored = await host.WithOrdersDb(db => db.Table<IdempotencyRecord>().AnyAsync(r => r.Key == key));
        stored.Should().BeFalse();
        // The same key may now carry the corrected request.
        (await Send(HttpMethod.Post, $"/api/orders/{order.Id()}/pay", payment, key)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_oversized_key_is_400()
    {
        var response = await Send(HttpMethod.Post, "/api/orders", OrderRequests.NewOrder(), new string('k', 101));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal(IdempotencyOptions.HeaderName);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, JsonObject body, string key)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(IdempotencyOptions.HeaderName, key);
        return _client.SendAsync(request);
    }
}
