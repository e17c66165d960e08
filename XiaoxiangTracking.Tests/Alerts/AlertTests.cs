using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Features.ExpireUnpaidOrders;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Features.Alerts;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Alerts;

/// <summary>
/// The alert rules on a clock the test drives, against the real host: each job is run as Hangfire would run it, by
/// resolving it from the host's services.
/// </summary>
public sealed class AlertTests : IDisposable
{
    private readonly TrackingHostFactory _host = new TrackingHostFactory().WithClock();
    private readonly HttpClient _client;

    public AlertTests() => _client = _host.CreateClient();

    private Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => _host.Clock!;

    [Fact]
    public async Task A_rider_is_offline_only_after_the_threshold_and_the_alert_resolves_with_the_next_fix()
    {
        var (orderId, rider) = await DeliveringOrder();
        await _client.ReportAsync(rider, RiderApp.NearWarehouse(500), Clock.GetUtcNow());

        Clock.Advance(TimeSpan.FromSeconds(90));
        await ScanAsync();
        (await Unresolved(orderId)).Should().BeEmpty("90 s without a fix is the threshold, not past it");

        Clock.Advance(TimeSpan.FromSeconds(1));
        await ScanAsync();
        var raised = (await Unresolved(orderId)).Should().ContainSingle().Subject;
        raised!["type"]!.GetValue<string>().Should().Be("Offline");
        raised["riderId"]!.GetValue<string>().Should().Be(rider);
        await _host.Notifications.WaitFor<AlertRaised>(a => a.OrderId == orderId && a.Type == AlertType.Offline);
        (await _client.LiveWhen(orderId, l => l["alerts"]!.AsArray().Count == 1))["alerts"]![0]!.GetValue<string>().Should().Be("Offline");

        await _client.ReportAsync(rider, RiderApp.NearWarehouse(600), Clock.GetUtcNow());
        await ScanAsync();

        (await Unresolved(orderId)).Should().BeEmpty();
        var resolved = await _host.Notifications.WaitFor<AlertResolved>(a => a.OrderId == orderId && a.Type == AlertType.Offline);
        resolved.ResolvedBy.Should().BeNull("it resolved itself");
        (await _client.LiveWhen(orderId, l => l["alerts"]!.AsArray().Count == 0))["alerts"]!.AsArray().Should().BeEmpty();
        var timeline = await _client.GetFromJsonAsync<JsonArray>($"/api/orders/{orderId}/timeline");
        timeline!.Select(e => e!["event"]!.GetValue<string>()).Should().ContainInOrder("OfflineAlertRaised", "OfflineAlertResolved");
    }

    [Fact]
    public async Task A_rider_reporting_from_one_spot_stalls_exactly_at_the_stall_period_and_recovers_by_moving_on()
    {
        var (orderId, rider) = await DeliveringOrder();
        var spot = RiderApp.AlongRoute(0.3);
        for (var i = 0; i < 20; i++)
        {
            if (i > 0)
            {
                Clock.Advance(TimeSpan.FromSeconds(15));
            }

            // A few metres of GPS noise around one spot, every 15 s, from the moment of assignment.
            await _client.ReportAsync(rider, RiderApp.Offset(spot.Latitude, spot.Longitude, (i % 2) * 5, 0), Clock.GetUtcNow());
        }

        // 4 min 59 s after the first fix at the spot: not yet.
        Clock.Advance(TimeSpan.FromSeconds(14));
        await ScanAsync();
        (await Unresolved(orderId)).Should().BeEmpty();

        Clock.Advance(TimeSpan.FromSeconds(1));
        await ScanAsync();
        (await Unresolved(orderId)).Should().ContainSingle().Which!["type"]!.GetValue<string>().Should().Be("Stall");

        Clock.Advance(TimeSpan.FromSeconds(15));
        await _client.ReportAsync(rider, RiderApp.Offset(spot.Latitude, spot.Longitude, 120, 0), Clock.GetUtcNow());
        await ScanAsync();
        (await Unresolved(orderId)).Should().BeEmpty("the rider moved on");
    }

    [Fact]
    public async Task The_timeout_warning_comes_five_minutes_before_the_promise_the_timeout_at_it_and_delivery_resolves_it()
    {
        var (orderId, rider) = await DeliveringOrder();
        var promised = await PromisedAt(orderId);

        await RideUntil(rider, promised - TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await ScanAsync();
        (await Unresolved(orderId)).Should().BeEmpty();

        await RideUntil(rider, promised - TimeSpan.FromMinutes(5));
        await ScanAsync();
        (await Unresolved(orderId)).Select(a => a!["type"]!.GetValue<string>()).Should().Equal("TimeoutWarning");

        await RideUntil(rider, promised);
        await ScanAsync();
        (await Unresolved(orderId)).Select(a => a!["type"]!.GetValue<string>()).Should().Equal("Timeout");

        (await _client.DeliveredAsync(orderId, rider)).EnsureSuccessStatusCode();
        await _host.Notifications.WaitFor<AlertResolved>(a => a.OrderId == orderId && a.Type == AlertType.Timeout);
        (await Unresolved(orderId)).Should().BeEmpty();
        var all = await _client.GetFromJsonAsync<JsonArray>($"/api/tracking/alerts?orderId={orderId}&unresolved=false");
        all!.Select(a => (a!["type"]!.GetValue<string>(), a["status"]!.GetValue<string>()))
            .Should().BeEquivalentTo([("TimeoutWarning", "Resolved"), ("Timeout", "Resolved")]);
    }

    [Fact]
    public async Task Leaving_the_route_raises_a_deviation_as_the_positions_arrive_and_returning_resolves_it()
    {
        var (orderId, rider) = await DeliveringOrder();
        await RideAlong(rider, 0.03, 0.06, 0.09);
        var turn = RiderApp.AlongRoute(0.09);

        // Veering north: 300 m off is within the corridor; 600 m and 750 m off are two fixes off route, not yet three.
        await Report(rider, RiderApp.Offset(turn.Latitude, turn.Longitude, 300, 0), seconds: 30);
        await Report(rider, RiderApp.Offset(turn.Latitude, turn.Longitude, 600, 0), seconds: 30);
        await Report(rider, RiderApp.Offset(turn.Latitude, turn.Longitude, 750, 0));
        await Eventually.Until(async () => await Evaluated(orderId, rider));
        (await Unresolved(orderId)).Should().BeEmpty();

        // No scan here: the third fix off route raises it as it arrives.
        await Report(rider, RiderApp.Offset(turn.Latitude, turn.Longitude, 900, 0));
        var raised = await _host.Notifications.WaitFor<AlertRaised>(a => a.OrderId == orderId && a.Type == AlertType.Deviation);
        raised.Facts!.Reason.Should().Be(AlertReason.OffRoute);
        raised.Facts.Fixes.Should().Be(3);
        raised.Facts.Meters.Should().BeInRange(700, 1000);
        raised.Detail.Should().Be($"Rider {rider} is {raised.Facts.Meters} m off the route to the customer for 3 fixes.");

        await Report(rider, RiderApp.AlongRoute(0.1), seconds: 60);
        await _host.Notifications.WaitFor<AlertResolved>(a => a.OrderId == orderId && a.Type == AlertType.Deviation);
    }

    [Fact]
    public async Task Riding_away_from_the_customer_along_the_route_is_a_deviation_too()
    {
        var (orderId, rider) = await DeliveringOrder();

        await RideAlong(rider, 0.40, 0.37, 0.34, 0.31);

        (await _host.Notifications.WaitFor<AlertRaised>(a => a.OrderId == orderId && a.Type == AlertType.Deviation))
            .Facts!.Reason.Should().Be(AlertReason.MovingAway);
    }

    [Fact]
    public async Task Entering_the_customers_arrival_radius_is_marked_on_the_timeline_once()
    {
        var (orderId, rider) = await DeliveringOrder();

        await Report(rider, RiderApp.AlongRoute(0.98), seconds: 600);
        await RideAlong(rider, 0.995, 0.998, 1.0);

        var timeline = await Eventually.Until(async () =>
            await _client.GetFromJsonAsync<JsonArray>($"/api/orders/{orderId}/timeline") is { } t
            && t.Any(e => e!["event"]!.GetValue<string>() == "ArrivedAtCustomer") ? t : null);
        await Eventually.Until(async () => await Evaluated(orderId, rider));
        timeline = (await _client.GetFromJsonAsync<JsonArray>($"/api/orders/{orderId}/timeline"))!;
        timeline.Count(e => e!["event"]!.GetValue<string>() == "ArrivedAtCustomer").Should().Be(1);
        var arrived = timeline.Single(e => e!["event"]!.GetValue<string>() == "ArrivedAtCustomer")!;
        arrived["operatorId"]!.GetValue<string>().Should().Be(rider);
        arrived["latitude"]!.GetValue<double>().Should().BeApproximately(RiderApp.AlongRoute(0.995).Latitude, 1e-9);
    }

    [Fact]
    public async Task A_stall_hidden_in_an_offline_stretch_is_raised_retroactively_when_the_batch_arrives()
    {
        var (orderId, rider) = await DeliveringOrder();
        await RideAlong(rider, 0.25, 0.28);
        var wentOffline = Clock.GetUtcNow();

        // Seven minutes without a word: offline. The app kept its fixes — standing at one spot.
        Clock.Advance(TimeSpan.FromMinutes(7));
        await ScanAsync();
        (await Unresolved(orderId)).Select(a => a!["type"]!.GetValue<string>()).Should().Equal("Offline");
        var spot = RiderApp.AlongRoute(0.3);
        var buffered = Enumerable.Range(1, 27).Select(i => new JsonObject
        {
            ["pointId"] = $"buffered-{i}",
            ["fixTime"] = wentOffline.AddSeconds(i * 15),
            ["latitude"] = spot.Latitude + ((i % 2) * 2e-5),
            ["longitude"] = spot.Longitude,
            ["accuracy"] = 10,
        }).Append(new JsonObject
        {
            ["pointId"] = "back-online",
            ["fixTime"] = Clock.GetUtcNow(),
            ["latitude"] = RiderApp.AlongRoute(0.33).Latitude,
            ["longitude"] = RiderApp.AlongRoute(0.33).Longitude,
            ["accuracy"] = 10,
        });

        var upload = await _client.PostAsJsonAsync("/api/tracking/positions/batch", new JsonObject { ["riderId"] = rider, ["positions"] = new JsonArray([.. buffered]) });

        (await upload.ReadJsonAsync())["accepted"]!.GetValue<int>().Should().Be(28);
        var stall = await _host.Notifications.WaitFor<AlertRaised>(a => a.OrderId == orderId && a.Type == AlertType.Stall);
        stall.Retroactive.Should().BeTrue();
        stall.Facts!.Reason.Should().Be(AlertReason.Stalled);
        stall.Facts.At.Should().NotBeNull();
        stall.Detail.Should().EndWith($"(at {stall.Facts.At:HH:mm:ss} UTC, found in positions uploaded late).");
        // Moving again now: both the stall found in the past and the offline alert are resolved.
        await _host.Notifications.WaitFor<AlertResolved>(a => a.OrderId == orderId && a.Type == AlertType.Stall);
        await _host.Notifications.WaitFor<AlertResolved>(a => a.OrderId == orderId && a.Type == AlertType.Offline);
        var all = await _client.GetFromJsonAsync<JsonArray>($"/api/tracking/alerts?orderId={orderId}&unresolved=false");
        all!.Should().ContainSingle(a => a!["type"]!.GetValue<string>() == "Stall")
            .Which!["retroactive"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task A_dispatched_rider_reaching_the_warehouse_is_marked_on_the_timeline_and_the_ride_starts_there()
    {
        var rider = RiderApp.NewRider();
        await _client.ReportAsync(rider, RiderApp.NearWarehouse(600), Clock.GetUtcNow());
        var order = await _client.PlaceAsync();
        (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        await _host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == order.Id() && d.Version == 2);
        (await _client.HandOverForDispatchAsync(order.Id())).EnsureSuccessStatusCode();
        (await _host.Notifications.WaitFor<RiderAssigned>(a => a.OrderId == order.Id())).RiderId.Should().Be(rider);

        await Report(rider, RiderApp.NearWarehouse(300));
        await Report(rider, RiderApp.NearWarehouse(40));

        var timeline = await Eventually.Until(async () =>
            await _client.GetFromJsonAsync<JsonArray>($"/api/orders/{order.Id()}/timeline") is { } t
            && t.Any(e => e!["event"]!.GetValue<string>() == "ArrivedAtWarehouse") ? t : null);
        timeline.Single(e => e!["event"]!.GetValue<string>() == "ArrivedAtWarehouse")!["latitude"]!.GetValue<double>()
            .Should().BeApproximately(RiderApp.NearWarehouse(40).Latitude, 1e-9);
        timeline.Should().NotContain(e => e!["event"]!.GetValue<string>() == "ArrivedAtCustomer");
    }

    [Fact]
    public async Task Two_scans_at_once_and_again_leave_exactly_one_open_alert()
    {
        var (orderId, rider) = await DeliveringOrder();
        await _client.ReportAsync(rider, RiderApp.NearWarehouse(500), Clock.GetUtcNow());
        Clock.Advance(TimeSpan.FromMinutes(3));

        await Task.WhenAll(ScanAsync(), ScanAsync(), ScanAsync());
        await ScanAsync();

        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        (await db.Alerts.CountAsync(a => a.OrderId == orderId)).Should().Be(1);
        await _host.Notifications.WaitFor<AlertRaised>(a => a.OrderId == orderId);
        (await db.OrderTracking.CountAsync(e => e.OrderId == orderId && e.EventType == "OfflineAlertRaised")).Should().Be(1);
        _host.Notifications.Published.OfType<AlertRaised>().Count(a => a.OrderId == orderId).Should().Be(1);
    }

    [Fact]
    public async Task Ops_acknowledge_and_resolve_an_alert_and_bad_requests_are_refused()
    {
        var (orderId, rider) = await DeliveringOrder();
        Clock.Advance(TimeSpan.FromMinutes(2));
        await ScanAsync();
        var alertId = (await Unresolved(orderId)).Single()!["id"]!.GetValue<string>();

        var ops = _host.ClientFor(TestCaller.Ops("ops-li"));
        var acknowledged = await (await ops.PostAsync($"/api/tracking/alerts/{alertId}/acknowledge", null)).ReadJsonAsync();
        var resolved = await (await ops.PostAsync($"/api/tracking/alerts/{alertId}/resolve", null)).ReadJsonAsync();
        var again = await ops.PostAsync($"/api/tracking/alerts/{alertId}/acknowledge", null);
        var unknown = await ops.PostAsync("/api/tracking/alerts/00000000000000000000000000000000/resolve", null);
        // The operator recorded is the caller, so their id must fit the operator column like any party id.
        var invalid = await _host.ClientFor(TestCaller.Ops("ops li")).PostAsync($"/api/tracking/alerts/{alertId}/resolve", null);

        acknowledged["status"]!.GetValue<string>().Should().Be("Acknowledged");
        acknowledged["acknowledgedBy"]!.GetValue<string>().Should().Be("ops-li");
        resolved["status"]!.GetValue<string>().Should().Be("Resolved");
        resolved["resolvedBy"]!.GetValue<string>().Should().Be("ops-li");
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        _ = rider;
    }

    [Fact]
    public async Task An_order_unpaid_past_the_payment_timeout_is_cancelled_with_the_reason_and_notified()
    {
        var unpaid = await _client.PlaceAsync();
        var paid = await _client.PlaceAsync();
        (await _client.PayAsync(paid.Id(), paid.Total())).EnsureSuccessStatusCode();

        Clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        (await ExpireAsync()).Should().Be(0);
        Clock.Advance(TimeSpan.FromSeconds(1));
        (await ExpireAsync()).Should().Be(1);
        (await ExpireAsync()).Should().Be(0, "running again changes nothing");

        var cancelled = await _host.Notifications.WaitFor<OrderCancelled>(c => c.OrderId == unpaid.Id());
        cancelled.Reason.Should().Be(ExpireUnpaidOrders.Reason);
        cancelled.PreviousStatus.Should().Be(OrderStatus.PendingPayment);
        (await (await _client.GetAsync($"/api/orders/{paid.Id()}")).ReadJsonAsync())["status"]!.GetValue<int>().Should().Be(2);
        (await (await _client.GetAsync($"/api/orders/{unpaid.Id()}")).ReadJsonAsync())["status"]!.GetValue<int>().Should().Be(5);
    }

    public void Dispose() => _host.Dispose();

    private async Task<(string OrderId, string RiderId)> DeliveringOrder()
    {
        var rider = RiderApp.NewRider();
        var order = await _client.PlaceAsync();
        (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();
        (await _client.PickedAsync(order.Id(), rider)).EnsureSuccessStatusCode();
        await _host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == order.Id() && d.Version == 3);
        return (order.Id(), rider);
    }

    /// <summary>Reports every 15 s at the given fractions of the way to the customer.</summary>
    private async Task RideAlong(string rider, params double[] fractions)
    {
        foreach (var fraction in fractions)
        {
            await Report(rider, RiderApp.AlongRoute(fraction));
        }
    }

    private async Task Report(string rider, (double Latitude, double Longitude) at, int seconds = 15)
    {
        Clock.Advance(TimeSpan.FromSeconds(seconds));
        await _client.ReportAsync(rider, at, Clock.GetUtcNow());
    }

    /// <summary>Whether the rules have seen the rider's latest fix (the move evaluator works after the reply).</summary>
    private async Task<bool> Evaluated(string orderId, string rider)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<MoveEvaluationQueue>();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        var latest = await db.RiderFixes.SingleAsync(f => f.RiderId == rider);
        var live = await db.LiveOrders.SingleAsync(l => l.OrderId == orderId);
        return queue.Reader.Count == 0 && live.FixTime == latest.FixTime;
    }

    private async Task<DateTimeOffset> PromisedAt(string orderId) =>
        (await (await _client.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync())["promisedDeliveryAt"]!.GetValue<DateTimeOffset>();

    private double _travelled;

    /// <summary>
    /// A rider riding towards the customer (6.5 km away) at 4 m/s and reporting every 15 s until <paramref name="until"/>,
    /// so only the timeout rules can fire.
    /// </summary>
    private async Task RideUntil(string rider, DateTimeOffset until)
    {
        while (Clock.GetUtcNow() < until)
        {
            var step = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(15).Ticks, (until - Clock.GetUtcNow()).Ticks));
            Clock.Advance(step);
            _travelled += step.TotalSeconds * 4;
            await _client.ReportAsync(rider, RiderApp.AlongRoute(Math.Min(0.99, _travelled / 6_500)), Clock.GetUtcNow());
        }
    }

    private async Task ScanAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AlertScan>().RunAsync(CancellationToken.None);
    }

    private async Task<int> ExpireAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ExpireUnpaidOrders>().RunAsync(CancellationToken.None);
    }

    private async Task<JsonArray> Unresolved(string orderId) =>
        (await _client.GetFromJsonAsync<JsonArray>($"/api/tracking/alerts?orderId={orderId}"))!;
}
