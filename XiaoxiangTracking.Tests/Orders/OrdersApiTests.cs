using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Orders;

public class OrdersApiTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Placing_an_order_answers_201_with_location_computed_total_and_version_1()
    {
        var response = await _client.PostAsJsonAsync("/api/orders", OrderRequests.NewOrder("c-place"));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var order = await response.ReadJsonAsync();
        response.Headers.Location!.ToString().Should().Be($"/api/orders/{order.Id()}");
        order.Id().Should().MatchRegex("^[0-9a-f]{32}$");
        order.Total().Should().Be(25.90m);
        order["status"]!.GetValue<int>().Should().Be(1);
        order["statusName"]!.GetValue<string>().Should().Be("PendingPayment");
        order["orderVersion"]!.GetValue<long>().Should().Be(1);
        order["lines"]!.AsArray().Should().HaveCount(2);
        order["promisedDeliveryAt"]!.GetValue<DateTimeOffset>().Should()
            .BeCloseTo(order["createdAt"]!.GetValue<DateTimeOffset>().AddMinutes(30), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Getting_an_order_returns_what_was_placed()
    {
        var placed = await _client.PlaceAsync();

        var fetched = await _client.GetFromJsonAsync<JsonObject>($"/api/orders/{placed.Id()}");

        fetched!.ToJsonString().Should().Be(placed.ToJsonString());
    }

    [Fact]
    public async Task An_unknown_order_is_404_problem_json()
    {
        var response = await _client.GetAsync("/api/orders/00000000000000000000000000000000");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.ReadJsonAsync())["status"]!.GetValue<int>().Should().Be(404);
    }

    [Fact]
    public async Task The_full_flow_moves_through_statuses_1_to_4_with_the_picking_task_and_rider()
    {
        var order = await _client.PlaceAsync();
        var id = order.Id();

        var paid = await (await _client.PayAsync(id, order.Total())).ReadJsonAsync();
        paid["status"]!.GetValue<int>().Should().Be(2);
        paid["pickingTask"]!["status"]!.GetValue<string>().Should().Be("Pending");

        var picked = await (await _client.PickedAsync(id, "rider-7")).ReadJsonAsync();
        picked["status"]!.GetValue<int>().Should().Be(3);
        picked["riderId"]!.GetValue<string>().Should().Be("rider-7");
        picked["pickingTask"]!["status"]!.GetValue<string>().Should().Be("Completed");

        var delivered = await (await _client.DeliveredAsync(id, "rider-7")).ReadJsonAsync();
        delivered["status"]!.GetValue<int>().Should().Be(4);
        delivered["orderVersion"]!.GetValue<long>().Should().Be(4);

        var published = await host.Notifications.WaitFor<OrderDelivered>(n => n.OrderId == id);
        published.Version.Should().Be(4);
        host.Notifications.Published.OfType<IOrderNotification>().Where(n => n.OrderId == id).Select(n => (n.Status, n.Version)).Should().Equal(
            (OrderStatus.PendingPayment, 1L), (OrderStatus.Paid, 2L), (OrderStatus.Delivering, 3L), (OrderStatus.Completed, 4L));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_order_can_be_cancelled_while_pending_payment_or_paid(bool paidFirst)
    {
        var order = await _client.PlaceAsync();
        if (paidFirst)
        {
            (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        }

        var response = await _client.CancelAsync(order.Id(), "买错了");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var cancelled = await response.ReadJsonAsync();
        cancelled["status"]!.GetValue<int>().Should().Be(5);
        cancelled["cancellationReason"]!.GetValue<string>().Should().Be("买错了");
        var cancelledEvent = await host.Notifications.WaitFor<OrderCancelled>(n => n.OrderId == order.Id());
        cancelledEvent.PreviousStatus.Should().Be(paidFirst ? OrderStatus.Paid : OrderStatus.PendingPayment);
    }

    [Fact]
    public async Task An_illegal_transition_is_409_naming_the_current_status()
    {
        var order = await _client.PlaceAsync();
        (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        (await _client.PickedAsync(order.Id())).EnsureSuccessStatusCode();

        var response = await _client.CancelAsync(order.Id());

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.ReadJsonAsync();
        problem["code"]!.GetValue<string>().Should().Be("illegal_transition");
        problem["currentStatus"]!.GetValue<int>().Should().Be(3);
        problem["currentStatusName"]!.GetValue<string>().Should().Be("Delivering");
        problem["detail"]!.GetValue<string>().Should().Contain("Delivering (3)");
    }

    [Fact]
    public async Task Delivering_before_picking_is_409_and_paying_twice_is_409()
    {
        var order = await _client.PlaceAsync();

        (await _client.DeliveredAsync(order.Id())).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await _client.PayAsync(order.Id(), order.Total())).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _client.PayAsync(order.Id(), order.Total(), "wxpay-2")).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_payment_that_does_not_match_the_total_is_409()
    {
        var order = await _client.PlaceAsync();

        var response = await _client.PayAsync(order.Id(), order.Total() + 1);

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.ReadJsonAsync())["code"]!.GetValue<string>().Should().Be("payment_amount_mismatch");
    }

    [Fact]
    public async Task A_rider_who_was_not_handed_the_order_cannot_deliver_it()
    {
        var order = await _client.PlaceAsync();
        (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        (await _client.PickedAsync(order.Id(), "rider-1")).EnsureSuccessStatusCode();

        var response = await _client.DeliveredAsync(order.Id(), "rider-2");

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.ReadJsonAsync())["code"]!.GetValue<string>().Should().Be("not_assigned_rider");
    }

    [Fact]
    public async Task Invalid_fields_are_400_with_an_error_per_field()
    {
        var order = OrderRequests.NewOrder(customerId: "");
        order["lines"]![0]!["quantity"] = 0;
        order["lines"]![1]!["unitPrice"] = 1.234m;
        order["deliveryAddress"]!["latitude"] = 91;
        order["warehouse"] = null;

        var response = await _client.PostAsJsonAsync("/api/orders", order);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        errors.Select(e => e.Key).Should().BeEquivalentTo(
            "customerId", "lines[0].quantity", "lines[1].unitPrice", "deliveryAddress.latitude", "warehouse");
        errors["customerId"]![0]!.GetValue<string>().Should().Contain("'customerId'");
    }

    [Fact]
    public async Task An_id_or_a_phone_number_followed_by_a_line_break_is_400_on_that_field()
    {
        var order = OrderRequests.NewOrder(customerId: "c-newline\n");
        order["deliveryAddress"]!["recipientPhone"] = "+86 138 0000 0000\n";

        var response = await _client.PostAsJsonAsync("/api/orders", order);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should()
            .BeEquivalentTo("customerId", "deliveryAddress.recipientPhone");
    }

    [Fact]
    public async Task An_order_without_lines_and_the_null_island_as_address_is_rejected()
    {
        var order = OrderRequests.NewOrder();
        order["lines"] = new JsonArray();
        order["deliveryAddress"]!["latitude"] = 0;
        order["deliveryAddress"]!["longitude"] = 0;

        var response = await _client.PostAsJsonAsync("/api/orders", order);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        errors.Select(e => e.Key).Should().BeEquivalentTo("lines", "deliveryAddress.latitude");
    }

    [Fact]
    public async Task Malformed_json_is_400_problem_naming_the_field()
    {
        var body = new StringContent("""{"customerId":"c-1","lines":[{"sku":"A","name":"B","quantity":"many","unitPrice":1}]}""",
            Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/api/orders", body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("lines[0].quantity");
    }

    [Fact]
    public async Task Invalid_transition_bodies_are_400_with_field_errors()
    {
        var order = await _client.PlaceAsync();

        var pay = await _client.PostAsJsonAsync($"/api/orders/{order.Id()}/pay", new { paymentReference = "", amount = -1 });
        var cancel = await _client.PostAsJsonAsync($"/api/orders/{order.Id()}/cancel", new { reason = "" });
        var picked = await _client.PostAsJsonAsync($"/api/orders/{order.Id()}/picked", new { warehouseId = "wh 1", riderId = "" });

        (await pay.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("paymentReference", "amount");
        (await cancel.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("reason");
        (await picked.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("warehouseId", "riderId");
    }

    [Fact]
    public async Task Listing_my_orders_pages_newest_first_and_caps_the_page_size()
    {
        var customer = $"c-list-{Guid.NewGuid():N}"[..32];
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await _client.PlaceAsync(OrderRequests.NewOrder(customer))).Id());
        }

        await _client.PlaceAsync(OrderRequests.NewOrder("someone-else"));

        var first = await _client.GetFromJsonAsync<JsonObject>($"/api/orders?customerId={customer}&pageSize=2");
        var second = await _client.GetFromJsonAsync<JsonObject>(
            $"/api/orders?customerId={customer}&pageSize=2&after={first!["next"]!.GetValue<string>()}");
        var capped = await _client.GetFromJsonAsync<JsonObject>($"/api/orders?customerId={customer}&pageSize=5000");

        var listed = first["items"]!.AsArray().Concat(second!["items"]!.AsArray()).Select(o => o!["id"]!.GetValue<string>());
        listed.Should().Equal(Enumerable.Reverse(ids));
        second["next"].Should().BeNull();
        capped!["pageSize"]!.GetValue<int>().Should().Be(100);
        capped["items"]!.AsArray().Should().HaveCount(3);
    }
}
