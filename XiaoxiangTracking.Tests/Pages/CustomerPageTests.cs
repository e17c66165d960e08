using Microsoft.Playwright;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Pages;

/// <summary>The customer's tracking page in Chromium, on a phone-sized screen, against the real host.</summary>
[Collection(BrowserCollection.Name)]
public class CustomerPageTests(Browser browser)
{
    [Fact]
    public async Task The_customer_sees_the_status_change_and_the_rider_moving_on_the_map_in_chinese_or_english()
    {
        var port = PageHost.FreePort();
        using var host = new TrackingHostFactory().OnKestrel(port);
        var ops = host.CreateClient();
        var order = await ops.PlaceAsync();
        var id = order.Id();
        (await ops.PayAsync(id, order.Total())).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<OrderTrackingChanged>(d => d.OrderId == id && d.Version == 2);
        await using var session = await browser.OpenAsync(390, 844);
        var page = session.Page;

        await page.GotoAsync(PageHost.Url(port, $"/track/{id}", host.TokenFor(OrderRequests.Customer)));

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("仓库处理中");
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "online");
        (await page.EvaluateAsync<string>("location.hash")).Should().BeEmpty("the token leaves the address bar at once");
        await Assertions.Expect(page.Locator("#timeline li[data-event=OrderPaid]")).ToHaveCountAsync(1);

        var rider = RiderApp.NewRider();
        (await ops.PickedAsync(id, rider)).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("配送中");
        var riderApp = host.ClientFor(TestCaller.Rider(rider));
        var first = RiderApp.AlongRoute(0.2);
        await riderApp.ReportAsync(rider, first, DateTimeOffset.UtcNow.AddSeconds(-15));
        await Assertions.Expect(page.Locator("#rider-marker")).ToHaveAttributeAsync("data-lat", Rounded(first.Latitude));
        var second = RiderApp.AlongRoute(0.22);
        await riderApp.ReportAsync(rider, second, DateTimeOffset.UtcNow);
        await Assertions.Expect(page.Locator("#rider-marker")).ToHaveAttributeAsync("data-lat", Rounded(second.Latitude));
        await Assertions.Expect(page.Locator("#rider-marker")).ToHaveAttributeAsync("data-lng", Rounded(second.Longitude));
        await Assertions.Expect(page.Locator("path.trail")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#eta")).ToContainTextAsync("预计");
        await Assertions.Expect(page.Locator("#timeline li[data-event=RiderAssigned]")).ToHaveCountAsync(1);
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390, "nothing is wider than the phone");
        await Browser.ScreenshotAsync(page, "track");

        await page.Locator("#language").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Out for delivery");
        await Assertions.Expect(page.Locator("#eta")).ToContainTextAsync("Arriving around");

        (await ops.DeliveredAsync(id, rider)).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Delivered");
        await Assertions.Expect(page.Locator("#rider-marker")).ToHaveCountAsync(0);
        session.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Another_customers_order_reads_as_not_found()
    {
        var port = PageHost.FreePort();
        using var host = new TrackingHostFactory().OnKestrel(port);
        var id = (await host.CreateClient().PlaceAsync()).Id();
        await using var session = await browser.OpenAsync(390, 844);
        var page = session.Page;

        await page.GotoAsync(PageHost.Url(port, $"/track/{id}", host.TokenFor(TestCaller.Customer("c-someone-else"))));

        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("找不到这个订单。");
        await Assertions.Expect(page.Locator("#status")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task The_page_says_it_is_offline_while_the_server_restarts_and_then_carries_on_by_itself()
    {
        var port = PageHost.FreePort();
        using var folder = new TestFolder();
        var tokens = new TestTokens(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var rider = RiderApp.NewRider();
        var first = new TrackingHostFactory(folder, tokens).OnKestrel(port);
        var id = await first.DeliveringOrderAsync(rider);
        await using var session = await browser.OpenAsync(390, 844);
        var page = session.Page;
        await page.GotoAsync(PageHost.Url(port, $"/track/{id}", tokens.For(OrderRequests.Customer)));
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("配送中");
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "online");

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        first.Dispose();
        stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "a page reconnecting at once does not hold the host's shutdown up");
        await Assertions.Expect(page.Locator("#connection")).Not.ToHaveAttributeAsync("data-state", "online");
        await Assertions.Expect(page.Locator("#connection")).ToContainTextAsync("重连");

        using var second = new TrackingHostFactory(folder, tokens).OnKestrel(port);
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "online", new() { Timeout = 30_000 });
        var at = RiderApp.AlongRoute(0.1);
        await second.ClientFor(TestCaller.Rider(rider)).ReportAsync(rider, at, DateTimeOffset.UtcNow);
        await Assertions.Expect(page.Locator("#rider-marker")).ToHaveAttributeAsync("data-lat", Rounded(at.Latitude));
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("配送中");
        session.Errors.Should().BeEmpty();
    }

    /// <summary>Customers see positions rounded to four decimals (about 11 m).</summary>
    private static string Rounded(double degrees) => Math.Round(degrees, 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
