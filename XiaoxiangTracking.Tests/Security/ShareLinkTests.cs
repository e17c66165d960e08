using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Security;

/// <summary>
/// Share links: a customer (or ops) hands someone a read-only link to one order's tracking. The link's token opens
/// that order's live state, timeline and hub updates — without anything personal — and nothing else; it stops
/// working when revoked, after a day, or two hours after the order ends, closing the live connections open on it.
/// </summary>
public sealed class ShareLinkTests : IDisposable
{
    /// <summary>What is personal in the orders these tests place (<see cref="OrderRequests.NewOrder"/>).</summary>
    private static readonly string[] Personal = ["王女士", "+86 138 0000 0000", "世纪大道", OrderRequests.CustomerId, "recipient", "customerId", "deliveryAddress"];

    private readonly TrackingHostFactory _host = new TrackingHostFactory().WithClock();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task The_link_shows_its_orders_delivery_live_and_nothing_personal_in_any_response_or_message()
    {
        var rider = RiderApp.NewRider();
        var orderId = await _host.DeliveringOrderAsync(rider);
        var customer = _host.ClientFor(OrderRequests.Customer);

        var created = await customer.PostAsync($"/api/orders/{orderId}/share-links", null);

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var link = await created.ReadJsonAsync();
        var token = TokenOf(link);
        token.Should().MatchRegex("^xts_[A-Za-z0-9_-]{43}$");
        link["expiresAt"]!.GetValue<DateTimeOffset>().Should().Be(_host.Clock!.GetUtcNow().AddHours(24));
        var listed = (await customer.GetStringAsync($"/api/orders/{orderId}/share-links"));
        listed.Should().NotContain(token[4..], "only the token's hash is kept");
        JsonNode.Parse(listed)!.AsArray().Single()!["active"]!.GetValue<bool>().Should().BeTrue();

        var shared = Client(token);
        var received = new ConcurrentQueue<string>();
        await using var hub = await ConnectAsync(token, received);
        await hub.InvokeAsync("SubscribeOrder", orderId, null);
        await _host.ClientFor(TestCaller.Rider(rider)).ReportAsync(rider, RiderApp.AlongRoute(0.4), _host.Clock.GetUtcNow());
        await Eventually.Until(() => received.Any(m => m.Contains("\"position\"", StringComparison.Ordinal) && !m.Contains("\"snapshot\":true", StringComparison.Ordinal)));

        var view = await shared.GetStringAsync("/api/share");
        var live = await shared.GetStringAsync($"/api/orders/{orderId}/live");
        var timeline = await shared.GetStringAsync($"/api/orders/{orderId}/timeline");

        JsonNode.Parse(view)!["orderId"]!.GetValue<string>().Should().Be(orderId);
        JsonNode.Parse(view)!["destination"]!["latitude"]!.GetValue<double>().Should().Be(31.2304);
        JsonNode.Parse(live)!["status"]!.GetValue<int>().Should().Be(3);
        // What the customer sees of the rider: the same rounded position, no more.
        var seenByCustomer = await customer.GetStringAsync($"/api/orders/{orderId}/live");
        JsonNode.Parse(live)!["position"]!.ToJsonString().Should().Be(JsonNode.Parse(seenByCustomer)!["position"]!.ToJsonString());
        JsonNode.Parse(live)!["position"]!["latitude"]!.GetValue<double>().Should().Be(Math.Round(RiderApp.AlongRoute(0.4).Latitude, 4));
        JsonNode.Parse(timeline)!.AsArray().Select(e => e!["event"]!.GetValue<string>()).Should().Contain("RiderAssigned");
        foreach (var body in new[] { view, live, timeline }.Concat(received))
        {
            body.Should().NotContainAny(Personal);
            body.Should().NotContain(rider, "the rider's id is not the link holder's business either");
        }

        received.Should().Contain(m => m.Contains("\"snapshot\":true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revoking_a_link_closes_its_live_connections_within_a_second_and_leaves_the_others()
    {
        var orderId = await _host.DeliveringOrderAsync(RiderApp.NewRider());
        var customer = _host.ClientFor(OrderRequests.Customer);
        var revoked = await (await customer.PostAsync($"/api/orders/{orderId}/share-links", null)).ReadJsonAsync();
        var kept = await (await customer.PostAsync($"/api/orders/{orderId}/share-links", null)).ReadJsonAsync();
        await using var revokedHub = await ConnectAsync(TokenOf(revoked), new());
        await using var keptHub = await ConnectAsync(TokenOf(kept), new());
        await revokedHub.InvokeAsync("SubscribeOrder", orderId, null);
        await keptHub.InvokeAsync("SubscribeOrder", orderId, null);
        var closed = new TaskCompletionSource();
        revokedHub.Closed += _ => Task.FromResult(closed.TrySetResult());

        (await customer.DeleteAsync($"/api/orders/{orderId}/share-links/{revoked["id"]!.GetValue<string>()}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        _host.Clock!.Advance(TimeSpan.FromSeconds(1));

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        keptHub.State.Should().Be(HubConnectionState.Connected);
        (await Client(TokenOf(revoked)).GetAsync("/api/share")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Client(TokenOf(kept)).GetAsync("/api/share")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _host.CreateDefaultClient().GetAsync($"/t/{TokenOf(revoked)}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var list = JsonNode.Parse(await customer.GetStringAsync($"/api/orders/{orderId}/share-links"))!.AsArray();
        list.Single(l => l!["id"]!.GetValue<string>() == revoked["id"]!.GetValue<string>())!["active"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task A_link_stops_two_hours_after_its_order_is_delivered_or_a_day_after_it_was_made_closing_its_connections()
    {
        var rider = RiderApp.NewRider();
        var delivered = await _host.DeliveringOrderAsync(rider);
        var waiting = await _host.CreateClient().PlaceAsync();
        var customer = _host.ClientFor(OrderRequests.Customer);
        var toDelivered = TokenOf(await (await customer.PostAsync($"/api/orders/{delivered}/share-links", null)).ReadJsonAsync());
        var toWaiting = TokenOf(await (await customer.PostAsync($"/api/orders/{waiting.Id()}/share-links", null)).ReadJsonAsync());
        await using var hub = await ConnectAsync(toDelivered, new());
        await hub.InvokeAsync("SubscribeOrder", delivered, null);
        var closed = new TaskCompletionSource();
        hub.Closed += _ => Task.FromResult(closed.TrySetResult());
        (await _host.CreateClient().DeliveredAsync(delivered, rider)).EnsureSuccessStatusCode();
        await _host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == delivered && d.Status == OrderStatus.Completed);

        _host.Clock!.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        (await Client(toDelivered).GetAsync($"/api/orders/{delivered}/live")).StatusCode.Should().Be(HttpStatusCode.OK, "it still shows the delivery");
        _host.Clock.Advance(TimeSpan.FromSeconds(2));

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        (await Client(toDelivered).GetAsync($"/api/orders/{delivered}/live")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Client(toWaiting).GetAsync("/api/share")).StatusCode.Should().Be(HttpStatusCode.OK, "an order still under way keeps its link for a day");
        _host.Clock.Advance(TimeSpan.FromHours(22));
        (await Client(toWaiting).GetAsync("/api/share")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unknown_expired_and_revoked_links_open_the_same_not_found_page_and_guessing_is_limited_per_address()
    {
        var orderId = (await _host.CreateClient().PlaceAsync()).Id();
        var customer = _host.ClientFor(OrderRequests.Customer);
        var revoked = await (await customer.PostAsync($"/api/orders/{orderId}/share-links", null)).ReadJsonAsync();
        await customer.DeleteAsync($"/api/orders/{orderId}/share-links/{revoked["id"]!.GetValue<string>()}");
        var expired = TokenOf(await (await customer.PostAsync($"/api/orders/{orderId}/share-links", null)).ReadJsonAsync());
        var working = TokenOf(await (await customer.PostAsync($"/api/orders/{orderId}/share-links", null)).ReadJsonAsync());
        var anyone = _host.CreateDefaultClient();

        var open = await anyone.GetAsync($"/t/{working}");
        _host.Clock!.Advance(TimeSpan.FromHours(25));
        var pages = new[] { "xts_" + new string('A', 43), TokenOf(revoked), expired, "not-even-a-token" }
            .Select(token => anyone.GetAsync($"/t/{token}")).ToList();

        open.StatusCode.Should().Be(HttpStatusCode.OK);
        (await open.Content.ReadAsStringAsync()).Should().Contain("/js/track.js");
        var answers = await Task.WhenAll(pages);
        answers.Should().OnlyContain(a => a.StatusCode == HttpStatusCode.NotFound);
        (await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()))).Distinct().Should().ContainSingle("they cannot be told apart");

        var guesses = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++)
        {
            guesses.Add(await anyone.GetAsync($"/t/xts_{i:D43}"));
        }

        guesses.Should().Contain(g => g.StatusCode == HttpStatusCode.TooManyRequests, "30 opens a minute from one address, 5 already used");
        guesses.Last().StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        guesses.Last().Headers.RetryAfter!.Delta.Should().BePositive("the caller is told when to try again");
    }

    [Fact]
    public async Task Only_the_orders_customer_or_ops_make_list_and_revoke_its_links_and_a_link_never_makes_another()
    {
        var orderId = (await _host.CreateClient().PlaceAsync()).Id();
        var token = TokenOf(await (await _host.CreateClient().PostAsync($"/api/orders/{orderId}/share-links", null)).ReadJsonAsync());

        var byOtherCustomer = await _host.ClientFor(TestCaller.Customer("c-someone-else")).PostAsync($"/api/orders/{orderId}/share-links", null);
        var byLink = await Client(token).PostAsync($"/api/orders/{orderId}/share-links", null);
        var listByLink = await Client(token).GetAsync($"/api/orders/{orderId}/share-links");

        byOtherCustomer.StatusCode.Should().Be(HttpStatusCode.NotFound);
        byLink.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        listByLink.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private static string TokenOf(JsonObject link) => link["url"]!.GetValue<string>()["/t/".Length..];

    private HttpClient Client(string token)
    {
        var client = _host.CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A hub connection with the link's token that keeps every message's raw JSON.</summary>
    private async Task<HubConnection> ConnectAsync(string token, ConcurrentQueue<string> received)
    {
        var connection = HubClient.Builder(_host, token: token).Build();
        connection.On<JsonElement>("OrderUpdated", update => received.Enqueue(update.GetRawText()));
        await connection.StartAsync();
        return connection;
    }
}
