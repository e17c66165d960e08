using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CsCheck;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Orders;

/// <summary>
/// <c>GET /api/orders</c>: ops search every order by status, warehouse, rider, customer and placing time; a customer
/// lists their own. Pages follow one another by the previous page's <c>next</c>.
/// </summary>
public sealed class OrderSearchTests : IDisposable
{
    private static readonly string[] Customers = ["c-search-a", "c-search-b", "c-search-c"];
    private static readonly string[] Warehouses = ["wh-search-1", "wh-search-2"];
    private static readonly string[] Riders = ["r-search-1", "r-search-2"];

    // Long enough that moving the clock never expires an unpaid order under the test's feet.
    private readonly TrackingHostFactory _host = new TrackingHostFactory().WithClock().With("Orders:PaymentTimeout", "1.00:00:00");
    private readonly List<Placed> _model = [];

    public void Dispose() => _host.Dispose();

    /// <summary>
    /// Invariant: for any filters and page size, walking the pages from the first by <c>next</c> yields exactly the
    /// orders that match every filter, newest first (ties on the placing time by id), each once, however many orders
    /// are placed while the pages are read.
    /// </summary>
    [Fact]
    public async Task Walking_the_pages_of_any_search_yields_exactly_the_matching_orders_newest_first_while_orders_keep_coming()
    {
        var ops = _host.CreateClient();
        var order = Gen.Select(Gen.Int[0, Customers.Length - 1], Gen.Int[0, Warehouses.Length - 1], Gen.Int[0, Riders.Length - 1],
            Gen.Int[1, 5], Gen.Int[0, 2]);
        var search = Gen.Select(
            Gen.Int[1, 5].Array[0, 2],
            Gen.Int[-1, Warehouses.Length - 1],
            Gen.Int[-1, Riders.Length - 1],
            Gen.Int[-1, Customers.Length - 1],
            Gen.Select(Gen.Int[-1, 40], Gen.Int[-1, 40]),
            Gen.Int[1, 9]);

        await Gen.Select(order.Array[1, 8], search).SampleAsync(
            async (placing, query) =>
            {
                foreach (var (customer, warehouseAt, rider, status, secondsLater) in placing)
                {
                    _host.Clock!.Advance(TimeSpan.FromSeconds(secondsLater));
                    _model.Add(await PlaceAsync(ops, Customers[customer], Warehouses[warehouseAt], Riders[rider], status));
                }

                var (statuses, warehouse, riderIndex, customerIndex, (fromBack, toBack), pageSize) = query;
                var newest = _model.Max(o => o.CreatedAt);
                DateTimeOffset? from = fromBack < 0 ? null : newest.AddSeconds(-fromBack);
                DateTimeOffset? to = toBack < 0 ? null : newest.AddSeconds(-toBack);
                if (from is not null && to is not null && to <= from)
                {
                    (from, to) = (to.Value.AddSeconds(-1), from.Value.AddSeconds(1));
                }

                var filters = new List<string>();
                filters.AddRange(statuses.Select(s => $"status={s}"));
                if (warehouse >= 0) filters.Add($"warehouseId={Warehouses[warehouse]}");
                if (riderIndex >= 0) filters.Add($"riderId={Riders[riderIndex]}");
                if (customerIndex >= 0) filters.Add($"customerId={Customers[customerIndex]}");
                if (from is { } f) filters.Add($"from={Uri.EscapeDataString(f.ToString("O"))}");
                if (to is { } t) filters.Add($"to={Uri.EscapeDataString(t.ToString("O"))}");
                filters.Add($"pageSize={pageSize}");

                var expected = _model
                    .Where(o => statuses.Length == 0 || statuses.Contains(o.Status))
                    .Where(o => warehouse < 0 || o.WarehouseId == Warehouses[warehouse])
                    .Where(o => riderIndex < 0 || o.RiderId == Riders[riderIndex])
                    .Where(o => customerIndex < 0 || o.CustomerId == Customers[customerIndex])
                    .Where(o => from is null || o.CreatedAt >= from)
                    .Where(o => to is null || o.CreatedAt < to)
                    .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id, StringComparer.Ordinal)
                    .Select(o => o.Id)
                    .ToList();

                var walked = new List<string>();
                string? next = null;
                do
                {
                    var page = await ops.GetFromJsonAsync<JsonObject>(
                        "/api/orders?" + string.Join('&', next is null ? filters : [.. filters, $"after={next}"]));
                    var items = page!["items"]!.AsArray();
                    items.Count.Should().BeLessThanOrEqualTo(pageSize);
                    walked.AddRange(items.Select(i => i!["id"]!.GetValue<string>()));
                    next = page["next"]?.GetValue<string>();
                    (next is null || items.Count == pageSize).Should().BeTrue("only the last page is short");

                    // Someone places an order while the pages are read; it is newer than every page already walked.
                    _host.Clock!.Advance(TimeSpan.FromSeconds(1));
                    _model.Add(await PlaceAsync(ops, Customers[0], Warehouses[0], Riders[0], 1));
                }
                while (next is not null);

                walked.Should().Equal(expected);
            },
            iter: 40,
            threads: 1);
    }

    [Fact]
    public async Task A_customer_lists_only_their_own_orders_without_the_rider_and_cannot_list_someone_elses()
    {
        var ops = _host.CreateClient();
        var mine = await PlaceAsync(ops, Customers[0], Warehouses[0], Riders[0], 3);
        await PlaceAsync(ops, Customers[1], Warehouses[0], Riders[0], 3);
        var customer = _host.ClientFor(TestCaller.Customer(Customers[0]));

        var listed = await customer.GetFromJsonAsync<JsonObject>("/api/orders?status=3");
        var someoneElses = await customer.GetAsync($"/api/orders?customerId={Customers[1]}");
        var asOps = await ops.GetFromJsonAsync<JsonObject>($"/api/orders?riderId={Riders[0]}&customerId={Customers[0]}");

        listed!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().Equal(mine.Id);
        listed["items"]![0]!["riderId"].Should().BeNull();
        listed["items"]![0]!["customerId"]!.GetValue<string>().Should().Be(Customers[0]);
        someoneElses.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        asOps!["items"]![0]!["riderId"]!.GetValue<string>().Should().Be(Riders[0]);
        asOps["items"]![0]!["warehouseId"]!.GetValue<string>().Should().Be(Warehouses[0]);
    }

    [Fact]
    public async Task A_rider_or_warehouse_cannot_search_orders()
    {
        var rider = await _host.ClientFor(TestCaller.Rider(Riders[0])).GetAsync("/api/orders");
        var warehouse = await _host.ClientFor(TestCaller.Warehouse("w-search", Warehouses[0])).GetAsync("/api/orders");

        rider.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        warehouse.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("status=9", "status")]
    [InlineData("status=shipped", "status")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=many", "pageSize")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-12-05T10:00:00Z&to=2026-12-05T09:00:00Z", "to")]
    [InlineData("after=not-a-cursor", "after")]
    [InlineData("after=MTIzNDU", "after")]
    [InlineData("riderId=r%20one", "riderId")]
    [InlineData("warehouseId=", "warehouseId")]
    public async Task A_search_with_a_bad_filter_is_400_keyed_by_that_filter(string query, string field)
    {
        var response = await _host.CreateClient().GetAsync($"/api/orders?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal(field);
    }

    private static async Task<Placed> PlaceAsync(HttpClient ops, string customer, string warehouse, string rider, int status)
    {
        var request = OrderRequests.NewOrder(customer);
        request["warehouse"]!["id"] = warehouse;
        var order = await ops.PlaceAsync(request);
        var id = order.Id();
        string? assigned = null;
        if (status is 2 or 3 or 4)
        {
            (await ops.PayAsync(id, order.Total())).EnsureSuccessStatusCode();
        }

        if (status is 3 or 4)
        {
            (await ops.PickedAsync(id, rider, warehouse)).EnsureSuccessStatusCode();
            assigned = rider;
        }

        if (status == 4)
        {
            (await ops.DeliveredAsync(id, rider)).EnsureSuccessStatusCode();
        }

        if (status == 5)
        {
            (await ops.CancelAsync(id)).EnsureSuccessStatusCode();
        }

        return new Placed(id, customer, warehouse, assigned, status, order["createdAt"]!.GetValue<DateTimeOffset>());
    }

    private sealed record Placed(string Id, string CustomerId, string WarehouseId, string? RiderId, int Status, DateTimeOffset CreatedAt);
}
