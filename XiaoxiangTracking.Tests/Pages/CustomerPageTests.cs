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
    public async Task On_a_phone_the_map_keeps_the_rider_in_view_wherever_it_rides_until_the_customer_takes_the_map_over()
    {
        var port = PageHost.FreePort();
        using var host = new TrackingHostFactory().OnKestrel(port);
        var rider = RiderApp.NewRider();
        var id = await host.DeliveringOrderAsync(rider);
        await using var session = await browser.OpenAsync(390, 844);
        var page = session.Page;
        await page.GotoAsync(PageHost.Url(port, $"/track/{id}", host.TokenFor(OrderRequests.Customer)));
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("配送中");
        var riderApp = host.ClientFor(TestCaller.Rider(rider));
        var start = DateTimeOffset.UtcNow.AddMinutes(-60);

        // Away from home and warehouse, further each time: south of the warehouse, then east of it.
        var fixes = new[] { RiderApp.NearWarehouse(-1500), RiderApp.NearWarehouse(-9000), RiderApp.NearWarehouse(-16000), RiderApp.NearWarehouse(-16000, 9000) };
        for (var i = 0; i < fixes.Length; i++)
        {
            await riderApp.ReportAsync(rider, fixes[i], start.AddMinutes(10 * i));
            await Assertions.Expect(page.Locator("#rider-marker")).ToHaveAttributeAsync("data-lat", Rounded(fixes[i].Latitude));
            (await RiderComesToRestInsideMapAsync(page)).Should().BeTrue("the map follows the rider");
        }

        await Assertions.Expect(page.Locator("#follow")).ToBeHiddenAsync();

        // The customer drags the map: the next fix outside the view leaves the map where the customer put it.
        var map = (await page.Locator("#map").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(map.X + (map.Width / 2), map.Y + (map.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(map.X + (map.Width / 2) - 150, map.Y + (map.Height / 2) - 150, new() { Steps = 10 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator("#follow")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1_500); // the drag's inertia settles
        var home = await page.Locator(".dot.destination").BoundingBoxAsync();
        var away = RiderApp.NearWarehouse(-24000, 9000);
        await riderApp.ReportAsync(rider, away, start.AddMinutes(40));
        await Assertions.Expect(page.Locator("#rider-marker")).ToHaveAttributeAsync("data-lat", Rounded(away.Latitude));
        await page.WaitForTimeoutAsync(1_500); // past the marker's glide, when a re-fit would have happened
        (await page.Locator(".dot.destination").BoundingBoxAsync()).Should().BeEquivalentTo(home, "the map stays where the customer put it");

        // The button gives the map back: rider, home and warehouse in view again.
        await page.Locator("#follow").ClickAsync();
        (await RiderComesToRestInsideMapAsync(page)).Should().BeTrue("the map follows the rider");
        await Assertions.Expect(page.Locator("#follow")).ToBeHiddenAsync();
        session.Errors.Should().BeEmpty();
    }

    /// <summary>Waits up to 5 s for the rider's marker to come to rest; whether it rests inside the map.</summary>
    private static async Task<bool> RiderComesToRestInsideMapAsync(IPage page)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        bool? inside;
        while ((inside = await page.EvaluateAsync<bool?>(RiderInsideMap)) is null && DateTime.UtcNow < deadline)
        {
        }

        return inside == true;
    }

    /// <summary>Once the rider's marker has come to rest (its glide and any re-framing over; null until then): whether its centre lies inside the map's box.</summary>
    private const string RiderInsideMap = """
        async () => {
          const place = () => document.getElementById("rider-marker")?.getBoundingClientRect();
          const before = place();
          await new Promise((resolve) => setTimeout(resolve, 300));
          const marker = place();
          if (!before || !marker || before.x !== marker.x || before.y !== marker.y) return null;
          const map = document.getElementById("map").getBoundingClientRect();
          const x = marker.left + marker.width / 2, y = marker.top + marker.height / 2;
          return x >= map.left && x <= map.right && y >= map.top && y <= map.bottom;
        }
        """;

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
    internal static string Rounded(double degrees) => Math.Round(degrees, 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
