using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Security;

/// <summary>
/// One order being delivered — placed by customer A, picked at warehouse W, carried by rider R1 — and every caller
/// against every order-scoped route and hub method. Requests that pass authorization are chosen to stop at a business
/// rule (409) or validation (400), so the order stays as it is for every cell.
/// </summary>
public class AccessMatrixTests(AccessMatrixTests.DeliveringOrder order) : IClassFixture<AccessMatrixTests.DeliveringOrder>
{
    public const string CustomerA = "c-matrix-a";
    public const string RiderOne = "r-matrix-1";
    public const string OtherWarehouse = "wh-other-99";

    /// <summary>The callers, in the order of each row's expected codes.</summary>
    private static readonly (string Name, TestCaller? Caller)[] Callers =
    [
        ("anonymous", null),
        ("customer A", TestCaller.Customer(CustomerA)),
        ("customer B", TestCaller.Customer("c-matrix-b")),
        ("rider R1", TestCaller.Rider(RiderOne)),
        ("rider R2", TestCaller.Rider("r-matrix-2")),
        ("warehouse W", TestCaller.Warehouse("w-staff-1", OrderRequests.WarehouseId)),
        ("warehouse W2", TestCaller.Warehouse("w-staff-2", OtherWarehouse)),
        ("ops", TestCaller.Ops("ops-matrix")),
        ("share link", DeliveringOrder.ShareLink),
    ];

    /// <summary>Each route with the status every caller gets, in <see cref="Callers"/> order.</summary>
    private static readonly Dictionary<string, (Func<string, HttpRequestMessage> Request, int[] Expected)> Routes = new()
    {
        //                                                                                           anon cA   cB   R1   R2   W    W2   ops  share
        ["GET order"] = (id => Get($"/api/orders/{id}"), [401, 200, 404, 200, 404, 200, 404, 200, 403]),
        ["GET live"] = (id => Get($"/api/orders/{id}/live"), [401, 200, 404, 200, 404, 200, 404, 200, 200]),
        ["GET timeline"] = (id => Get($"/api/orders/{id}/timeline"), [401, 200, 404, 200, 404, 200, 404, 200, 200]),
        ["GET trajectory"] = (id => Get($"/api/orders/{id}/trajectory"), [401, 403, 403, 403, 403, 403, 403, 200, 403]),
        ["GET tracking-quality"] = (id => Get($"/api/orders/{id}/tracking-quality"), [401, 403, 403, 403, 403, 403, 403, 200, 403]),
        ["POST pay"] = (id => Post($"/api/orders/{id}/pay", new { paymentReference = "wx-1", amount = 25.9m }), [401, 409, 404, 403, 403, 403, 403, 409, 403]),
        ["POST cancel"] = (id => Post($"/api/orders/{id}/cancel", new { reason = "changed my mind" }), [401, 409, 404, 403, 403, 403, 403, 409, 403]),
        ["POST picked"] = (id => Post($"/api/orders/{id}/picked", new { warehouseId = OrderRequests.WarehouseId }), [401, 403, 403, 403, 403, 409, 404, 409, 403]),
        ["POST warehouse-stages"] = (id => Post("/api/tracking/warehouse-stages", new { orderId = id, stage = "NoSuchStage" }), [401, 403, 403, 403, 403, 400, 404, 400, 403]),
        ["PUT rider"] = (id => Put($"/api/tracking/orders/{id}/rider", new { riderId = "" }), [401, 403, 403, 403, 403, 403, 403, 400, 403]),
        ["GET orders of customer A"] = (_ => Get($"/api/orders?customerId={CustomerA}"), [401, 200, 403, 403, 403, 403, 403, 200, 403]),
        ["GET position of R1"] = (_ => Get($"/api/tracking/riders/{RiderOne}/position"), [401, 403, 403, 200, 403, 403, 403, 200, 403]),
        ["POST position as R1"] = (_ => Post("/api/tracking/positions", Fix(RiderOne)), [401, 403, 403, 200, 403, 403, 403, 200, 403]),
        ["POST batch as R1"] = (_ => Post("/api/tracking/positions/batch", new { riderId = RiderOne, positions = new[] { Fix(null) } }), [401, 403, 403, 200, 403, 403, 403, 200, 403]),
        ["GET alerts"] = (_ => Get("/api/tracking/alerts"), [401, 403, 403, 403, 403, 403, 403, 200, 403]),
        ["GET webhooks"] = (_ => Get("/api/webhooks"), [401, 403, 403, 403, 403, 403, 403, 200, 403]),
        ["GET share"] = (_ => Get("/api/share"), [401, 403, 403, 403, 403, 403, 403, 403, 200]),
        ["POST share-links"] = (id => Post($"/api/orders/{id}/share-links", new { }), [401, 201, 404, 403, 403, 403, 403, 201, 403]),
        ["GET share-links"] = (id => Get($"/api/orders/{id}/share-links"), [401, 200, 404, 403, 403, 403, 403, 200, 403]),
        ["DELETE share-link"] = (id => new HttpRequestMessage(HttpMethod.Delete, $"/api/orders/{id}/share-links/{new string('0', 32)}"), [401, 404, 404, 403, 403, 403, 403, 404, 403]),
    };

    public static TheoryData<string, string> Cells()
    {
        var cells = new TheoryData<string, string>();
        foreach (var route in Routes.Keys)
        {
            foreach (var (name, _) in Callers)
            {
                cells.Add(route, name);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_caller_gets_the_expected_status_on_each_route(string route, string caller)
    {
        var id = await order.IdAsync();
        var index = Array.FindIndex(Callers, c => c.Name == caller);
        var (request, expected) = Routes[route];

        var response = await order.ClientOf(Callers[index].Caller).SendAsync(request(id));

        ((int)response.StatusCode).Should().Be(expected[index], $"{caller} on {route}: {await response.Content.ReadAsStringAsync()}");
        if (!response.IsSuccessStatusCode)
        {
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        }
    }

    [Fact]
    public async Task Another_customers_order_and_an_unknown_id_get_the_same_answer()
    {
        var id = await order.IdAsync();
        var customerB = order.ClientOf(TestCaller.Customer("c-matrix-b"));

        var someoneElses = await customerB.GetAsync($"/api/orders/{id}");
        var unknown = await customerB.GetAsync($"/api/orders/{new string('0', 32)}");

        someoneElses.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var (a, b) = (await someoneElses.ReadJsonAsync(), await unknown.ReadJsonAsync());
        a["title"]!.GetValue<string>().Should().Be(b["title"]!.GetValue<string>());
        a["detail"]!.GetValue<string>().Replace(id, "ID", StringComparison.Ordinal)
            .Should().Be(b["detail"]!.GetValue<string>().Replace(new string('0', 32), "ID", StringComparison.Ordinal));
    }

    public static TheoryData<string, bool> HubSubscribers() => new()
    {
        { "customer A", true },
        { "customer B", false },
        { "rider R1", true },
        { "rider R2", false },
        { "warehouse W", true },
        { "warehouse W2", false },
        { "ops", true },
        { "share link", true },
    };

    [Theory]
    [MemberData(nameof(HubSubscribers))]
    public async Task Only_those_who_may_see_the_order_can_follow_it_on_the_hub(string caller, bool allowed)
    {
        var id = await order.IdAsync();
        await using var client = await order.HubClientOf(Callers.Single(c => c.Name == caller).Caller);

        var subscribe = () => client.SubscribeOrderAsync(id);

        if (allowed)
        {
            await subscribe();
            (await client.WaitForVersion(id, 3)).Status.Should().Be(3);
        }
        else
        {
            (await subscribe.Should().ThrowAsync<HubException>()).WithMessage("*was not found*");
        }
    }

    public static TheoryData<string, string, object?, bool> HubMethods() => new()
    {
        { "rider R1", "SubscribeAssignments", RiderOne, true },
        { "rider R2", "SubscribeAssignments", RiderOne, false },
        { "customer A", "SubscribeAssignments", RiderOne, false },
        { "ops", "SubscribeAssignments", RiderOne, true },
        { "ops", "SubscribeFleet", null, true },
        { "warehouse W", "SubscribeFleet", null, true },
        { "warehouse W", "SubscribeFleet", OrderRequests.WarehouseId, true },
        { "warehouse W2", "SubscribeFleet", OrderRequests.WarehouseId, false },
        { "customer A", "SubscribeFleet", null, false },
        { "rider R1", "SubscribeFleet", null, false },
        { "share link", "SubscribeFleet", null, false },
        { "share link", "SubscribeAssignments", RiderOne, false },
        { "share link", "UnsubscribeOrder", "x", false },
    };

    [Theory]
    [MemberData(nameof(HubMethods))]
    public async Task Rider_and_fleet_subscriptions_are_for_that_rider_that_warehouse_and_ops(string caller, string method, object? argument, bool allowed)
    {
        var id = await order.IdAsync();
        await using var client = await order.HubClientOf(Callers.Single(c => c.Name == caller).Caller);

        var subscribe = () => client.Connection.InvokeAsync(method, argument);

        if (allowed)
        {
            await subscribe();
            (await client.WaitForVersion(id, 3)).RiderId.Should().Be(RiderOne);
        }
        else
        {
            await subscribe.Should().ThrowAsync<HubException>();
            client.Received.Should().BeEmpty();
        }
    }

    [Fact]
    public async Task Connecting_to_the_hub_needs_a_token()
    {
        using var anonymous = order.CreateDefaultClient();
        anonymous.DefaultRequestHeaders.Authorization = null;

        var negotiate = await anonymous.PostAsync("/hubs/tracking/negotiate?negotiateVersion=1", null);

        negotiate.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    private static HttpRequestMessage Put(string path, object body) => new(HttpMethod.Put, path) { Content = JsonContent.Create(body) };

    private static JsonObject Fix(string? riderId)
    {
        var now = DateTimeOffset.UtcNow;
        var at = RiderApp.NearWarehouse(50);
        var fix = new JsonObject
        {
            ["pointId"] = $"m-{Guid.NewGuid():N}"[..24],
            ["fixTime"] = now,
            ["latitude"] = at.Latitude,
            ["longitude"] = at.Longitude,
            ["accuracy"] = 8,
        };
        if (riderId is not null)
        {
            fix["riderId"] = riderId;
        }

        return fix;
    }

    /// <summary>The host with the order of the matrix, made through the API by the callers who would make it.</summary>
    public sealed class DeliveringOrder : TrackingHostFactory
    {
        private readonly Lazy<Task<string>> _id;

        public DeliveringOrder()
        {
            _id = new Lazy<Task<string>>(CreateAsync);
            _shareToken = new Lazy<Task<string>>(ShareAsync);
        }

        public async Task<HubClient> HubClientOf(TestCaller? caller) =>
            ReferenceEquals(caller, ShareLink)
                ? await HubClient.ConnectAsync(this, token: await _shareToken.Value)
                : await HubClient.ConnectAsync(this, caller: caller);

        private async Task<string> ShareAsync()
        {
            var created = await (await ClientFor(TestCaller.Customer(CustomerA)).PostAsync($"/api/orders/{await IdAsync()}/share-links", null)).ReadJsonAsync();
            return created["url"]!.GetValue<string>()["/t/".Length..];
        }

        public Task<string> IdAsync() => _id.Value;

        /// <summary>Stands for whoever holds a share link of the order (made by customer A).</summary>
        public static readonly TestCaller ShareLink = new("share-link", "share-link");

        private readonly Lazy<Task<string>> _shareToken;

        public HttpClient ClientOf(TestCaller? caller)
        {
            if (ReferenceEquals(caller, ShareLink))
            {
                var shared = CreateDefaultClient();
                shared.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _shareToken.Value.GetAwaiter().GetResult());
                return shared;
            }

            if (caller is not null)
            {
                return ClientFor(caller);
            }

            var anonymous = CreateDefaultClient();
            anonymous.DefaultRequestHeaders.Authorization = null;
            return anonymous;
        }

        private async Task<string> CreateAsync()
        {
            var customer = ClientFor(TestCaller.Customer(CustomerA));
            var placed = await customer.PlaceAsync(OrderRequests.NewOrder(customerId: CustomerA));
            var id = placed.Id();
            (await customer.PayAsync(id, placed.Total())).EnsureSuccessStatusCode();
            (await ClientFor(TestCaller.Warehouse("w-staff-1", OrderRequests.WarehouseId)).PickedAsync(id, RiderOne)).EnsureSuccessStatusCode();
            await Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == id && d.Version == 3);
            await ClientFor(TestCaller.Rider(RiderOne)).ReportAsync(RiderOne, RiderApp.NearWarehouse(20), DateTimeOffset.UtcNow.AddSeconds(-30));
            await Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == id && d.Version == 4);
            return id;
        }
    }
}
