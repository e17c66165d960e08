using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Features.Alerts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Pages;

/// <summary>The ops map in Chromium against the real host.</summary>
[Collection(BrowserCollection.Name)]
public class OpsMapTests(Browser browser)
{
    [Fact]
    public async Task Ops_see_orders_and_riders_a_new_alert_as_it_is_raised_and_take_and_resolve_it()
    {
        var port = PageHost.FreePort();
        using var host = new TrackingHostFactory().OnKestrel(port);
        var ops = host.CreateClient();
        // Another address, so the two markers do not lie on top of each other (a click must reach the one it means).
        var elsewhere = OrderRequests.NewOrder();
        elsewhere["deliveryAddress"]!["latitude"] = 31.2400;
        var waiting = await ops.PlaceAsync(elsewhere);
        (await ops.PayAsync(waiting.Id(), waiting.Total())).EnsureSuccessStatusCode();
        var rider = RiderApp.NewRider();
        var deliveringId = await host.DeliveringOrderAsync(rider);
        await host.ClientFor(TestCaller.Rider(rider)).ReportAsync(rider, RiderApp.AlongRoute(0.3), DateTimeOffset.UtcNow);
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == deliveringId && d.Position != null);
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == waiting.Id() && d.Version == 2);
        await using var session = await browser.OpenAsync();
        var page = session.Page;

        await page.GotoAsync(PageHost.Url(port, "/ops", host.TokenFor(TestCaller.DefaultOps)));

        await Assertions.Expect(page.Locator(".order-marker")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator($".order-marker[data-order-id='{waiting.Id()}']")).ToHaveAttributeAsync("data-status", "2");
        await Assertions.Expect(page.Locator($".order-marker[data-order-id='{deliveringId}']")).ToHaveAttributeAsync("data-status", "3");
        await Assertions.Expect(page.Locator($".rider-marker[data-rider-id='{rider}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#count-orders")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#count-riders")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#count-alerts")).ToHaveTextAsync("0");

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AlertBook>()
                .RaiseAsync(deliveringId, AlertType.TimeoutWarning, rider, new AlertFacts(AlertReason.DueSoon, Minutes: 5, PromisedAt: DateTimeOffset.UtcNow.AddMinutes(5)), null, false, CancellationToken.None);
        }

        // Pushed to the open page, which is not reloaded. How fast pushes arrive is measured by the bench (scenario).
        var alert = page.Locator("#alerts li[data-type=TimeoutWarning]");
        await Assertions.Expect(alert).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#count-alerts")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator($".order-marker[data-order-id='{deliveringId}']")).ToHaveAttributeAsync("data-alerts", "TimeoutWarning");

        await page.Locator($".order-marker[data-order-id='{deliveringId}']").ClickAsync();
        await Assertions.Expect(page.Locator("#order-panel")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#order-timeline li[data-event=RiderAssigned]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#order-replay")).ToHaveAttributeAsync("href", $"/replay/{deliveringId}");
        await Browser.ScreenshotAsync(page, "ops");

        await alert.Locator("button.acknowledge").ClickAsync();
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-status", "Acknowledged");
        await alert.Locator("button.resolve").ClickAsync();
        await Assertions.Expect(page.Locator("#alerts li")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#count-alerts")).ToHaveTextAsync("0");
        var stored = System.Text.Json.Nodes.JsonNode.Parse(
            await ops.GetStringAsync($"/api/tracking/alerts?orderId={deliveringId}&unresolved=false"))!.AsArray().Single()!;
        stored["status"]!.GetValue<string>().Should().Be("Resolved");
        stored["acknowledgedBy"]!.GetValue<string>().Should().Be(TestCaller.DefaultOps.Subject);
        session.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Ops_find_a_finished_order_by_its_rider_and_open_it_in_either_language()
    {
        var port = PageHost.FreePort();
        using var host = new TrackingHostFactory().OnKestrel(port);
        var ops = host.CreateClient();
        var rider = RiderApp.NewRider();
        var delivered = await ops.PlaceAsync();
        (await ops.PayAsync(delivered.Id(), delivered.Total())).EnsureSuccessStatusCode();
        (await ops.PickedAsync(delivered.Id(), rider)).EnsureSuccessStatusCode();
        (await ops.DeliveredAsync(delivered.Id(), rider)).EnsureSuccessStatusCode();
        var someoneElses = await ops.PlaceAsync();
        (await ops.PayAsync(someoneElses.Id(), someoneElses.Total())).EnsureSuccessStatusCode();
        (await ops.PickedAsync(someoneElses.Id(), RiderApp.NewRider())).EnsureSuccessStatusCode();
        await using var session = await browser.OpenAsync();
        var page = session.Page;
        await page.GotoAsync(PageHost.Url(port, "/ops", host.TokenFor(TestCaller.DefaultOps)));
        await Assertions.Expect(page.Locator("#connection")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("online"));

        await page.Locator("#search [name=riderId]").FillAsync(rider);
        await page.Locator("#search button[type=submit]").ClickAsync();

        var results = page.Locator("#search-results li");
        await Assertions.Expect(results).ToHaveCountAsync(1);
        await Assertions.Expect(results.First).ToHaveAttributeAsync("data-order-id", delivered.Id());
        await Assertions.Expect(results.First).ToContainTextAsync("已送达");
        await Assertions.Expect(page.Locator("#search-more")).ToBeHiddenAsync();
        await page.Locator("#language").ClickAsync();
        await Assertions.Expect(results.First).ToContainTextAsync("Delivered");

        await results.First.ClickAsync();
        await Assertions.Expect(page.Locator("#order-panel")).ToHaveAttributeAsync("data-order-id", delivered.Id());
        await Assertions.Expect(page.Locator("#order-facts")).ToContainTextAsync(rider);
        await Assertions.Expect(page.Locator("#order-facts")).ToContainTextAsync("Delivered");
        await Assertions.Expect(page.Locator("#order-timeline li[data-event=OrderDelivered]")).ToHaveCountAsync(1);

        await page.Locator("#search [name=riderId]").FillAsync("");
        await page.Locator("#search [name=status]").SelectOptionAsync("3");
        await page.Locator("#search button[type=submit]").ClickAsync();
        await Assertions.Expect(results).ToHaveCountAsync(1);
        await Assertions.Expect(results.First).ToHaveAttributeAsync("data-order-id", someoneElses.Id());
        session.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Before_the_live_connection_has_a_state_no_empty_badge_is_shown()
    {
        var port = PageHost.FreePort();
        using var host = new TrackingHostFactory().OnKestrel(port);
        await using var session = await browser.OpenAsync(390, 844);
        var page = session.Page;
        var negotiating = new TaskCompletionSource();
        // The hub's negotiation never answers: the page has not yet learnt whether it is online.
        await page.RouteAsync("**/hubs/tracking/negotiate**", _ =>
        {
            negotiating.TrySetResult();
            return Task.CompletedTask;
        });

        await page.GotoAsync(PageHost.Url(port, "/ops", host.TokenFor(TestCaller.DefaultOps)));
        await negotiating.Task.WaitAsync(TimeSpan.FromSeconds(15));

        await Assertions.Expect(page.Locator("#connection")).ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#connection")).ToBeHiddenAsync();
        await page.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.IgnoreErrors });
    }

    /// <summary>
    /// Every reason an alert can have, as the ops page words it in each language, times in the viewer's zone (the
    /// browser is in Asia/Shanghai, UTC+8): no alert text stays in the server's English inside the Chinese page.
    /// </summary>
    [Fact]
    public async Task Alerts_read_in_the_viewers_language_and_local_time_for_every_reason()
    {
        var port = PageHost.FreePort();
        // The alerts are raised by hand on orders whose riders are in no such state: the scan, which would resolve
        // them, waits for the new year.
        using var host = new TrackingHostFactory().With("Tracking:Alerts:ScanCron", "0 0 1 1 *").OnKestrel(port);
        var promised = new DateTimeOffset(2026, 12, 5, 7, 14, 0, TimeSpan.Zero);
        var lastFix = new DateTimeOffset(2026, 12, 5, 6, 58, 30, TimeSpan.Zero);
        (AlertType Type, AlertFacts Facts, bool Retroactive, string Zh, string En)[] cases =
        [
            (AlertType.Stall, new AlertFacts(AlertReason.Stalled, Meters: 50, Minutes: 5), false, "5 分钟内移动不到 50 米", "Moved less than 50 m in 5 min"),
            (AlertType.Offline, new AlertFacts(AlertReason.NoPosition, At: lastFix), false, "14:58 起没有收到定位", "No position since 14:58"),
            (AlertType.Deviation, new AlertFacts(AlertReason.OffRoute, Meters: 420, Fixes: 3, At: lastFix), true,
                "偏离配送路线 420 米（连续 3 个定位点）（发生于 14:58，由补传的定位发现）", "420 m off the route for 3 fixes (at 14:58, found in positions uploaded late)"),
            (AlertType.Deviation, new AlertFacts(AlertReason.MovingAway, Meters: 260, Fixes: 3), false,
                "正在远离客户：3 个定位点内远离了 260 米", "Moving away from the customer: 260 m farther over 3 fixes"),
            (AlertType.TimeoutWarning, new AlertFacts(AlertReason.DueSoon, Minutes: 5, PromisedAt: promised), false,
                "承诺 15:14 送达（告警时还剩 5 分钟）", "Promised for 15:14, 5 min left when raised"),
            (AlertType.Timeout, new AlertFacts(AlertReason.Late, PromisedAt: promised), false, "未在承诺的 15:14 前送达", "Not delivered by the promised 15:14"),
        ];
        var orders = new List<string>();
        // Each assignment is evaluated against the rider rules once, which would resolve an alert raised before it.
        var evaluations = host.Services.GetRequiredService<MoveEvaluationQueue>();
        foreach (var (type, facts, retroactive, _, _) in cases)
        {
            var rider = RiderApp.NewRider();
            var orderId = await host.DeliveringOrderAsync(rider);
            orders.Add(orderId);
            await Eventually.Until(() => evaluations.Unfinished == 0);
            await using var scope = host.Services.CreateAsyncScope();
            (await scope.ServiceProvider.GetRequiredService<AlertBook>()
                .RaiseAsync(orderId, type, rider, facts, null, retroactive, CancellationToken.None)).Should().BeTrue();
        }

        await using var session = await browser.OpenAsync();
        var page = session.Page;
        await page.GotoAsync(PageHost.Url(port, "/ops", host.TokenFor(TestCaller.DefaultOps)));
        await Assertions.Expect(page.Locator("#alerts li")).ToHaveCountAsync(cases.Length);

        await ExpectReasons(page, orders, cases.Select(c => c.Zh).ToList());
        foreach (var text in await page.Locator("#alerts li .what, #alerts li .reason, #alerts li button").AllTextContentsAsync())
        {
            text.Should().NotMatchRegex("[A-Za-z]", "the Chinese page words every alert in Chinese");
        }

        await page.Locator("#language").ClickAsync();
        await ExpectReasons(page, orders, cases.Select(c => c.En).ToList());
        foreach (var text in await page.Locator("#alerts li .what, #alerts li .reason, #alerts li button").AllTextContentsAsync())
        {
            text.Should().NotMatchRegex("\\p{IsCJKUnifiedIdeographs}", "the English page words every alert in English");
        }

        session.Errors.Should().BeEmpty();
    }

    private static async Task ExpectReasons(IPage page, List<string> orders, List<string> expected)
    {
        for (var i = 0; i < orders.Count; i++)
        {
            var alert = page.Locator($"#alerts li:has-text('{orders[i][^8..]}') .reason");
            await Assertions.Expect(alert).ToHaveTextAsync(expected[i]);
        }
    }
}
