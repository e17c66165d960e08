using Microsoft.Playwright;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Pages;

/// <summary>A share link opened in Chromium on a phone: the customer's tracking page, read-only, nothing personal.</summary>
[Collection(BrowserCollection.Name)]
public class SharedLinkPageTests(Browser browser)
{
    [Fact]
    public async Task A_shared_link_shows_the_rider_moving_then_delivered_without_the_rider_and_says_when_it_is_revoked()
    {
        var port = PageHost.FreePort();
        using var host = new TrackingHostFactory().With("Notifications:ShareLinkCheckInterval", "00:00:00.200").OnKestrel(port);
        var rider = RiderApp.NewRider();
        var orderId = await host.DeliveringOrderAsync(rider);
        var customer = host.ClientFor(OrderRequests.Customer);
        var link = await (await customer.PostAsync($"/api/orders/{orderId}/share-links", null)).ReadJsonAsync();
        var riderApp = host.ClientFor(TestCaller.Rider(rider));
        var first = RiderApp.AlongRoute(0.3);
        await riderApp.ReportAsync(rider, first, DateTimeOffset.UtcNow.AddSeconds(-15));
        await using var session = await browser.OpenAsync(390, 844);
        var page = session.Page;

        await page.GotoAsync($"http://127.0.0.1:{port}{link["url"]!.GetValue<string>()}");

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("配送中");
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "online");
        await Assertions.Expect(page.Locator("#rider-marker")).ToHaveAttributeAsync("data-lat", CustomerPageTests.Rounded(first.Latitude));
        var second = RiderApp.AlongRoute(0.34);
        await riderApp.ReportAsync(rider, second, DateTimeOffset.UtcNow);
        await Assertions.Expect(page.Locator("#rider-marker")).ToHaveAttributeAsync("data-lat", CustomerPageTests.Rounded(second.Latitude));
        await Assertions.Expect(page.Locator("#eta")).ToContainTextAsync("预计");
        await Assertions.Expect(page.Locator("#timeline li[data-event=RiderAssigned]")).ToHaveCountAsync(1);
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390);
        var shown = await page.ContentAsync();
        shown.Should().NotContainAny("王女士", "+86 138", "世纪大道", OrderRequests.CustomerId, rider);
        await Browser.ScreenshotAsync(page, "shared");

        (await host.CreateClient().DeliveredAsync(orderId, rider)).EnsureSuccessStatusCode();

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("已送达");
        await Assertions.Expect(page.Locator("#rider-marker")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#eta")).ToBeEmptyAsync();
        await page.Locator("#language").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Delivered");
        await page.Locator("#language").ClickAsync();

        await customer.DeleteAsync($"/api/orders/{orderId}/share-links/{link["id"]!.GetValue<string>()}");

        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("这个链接已失效。");
        session.Errors.Should().BeEmpty();
    }
}
