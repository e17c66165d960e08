using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Features.Alerts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Pages;

/// <summary>The replay of a stored delivery in Chromium against the real host.</summary>
[Collection(BrowserCollection.Name)]
public class ReplayPageTests(Browser browser)
{
    [Fact]
    public async Task A_delivery_replays_from_first_fix_to_last_with_its_stages_and_alerts_on_the_path()
    {
        var port = PageHost.FreePort();
        using var host = new TrackingHostFactory().WithClock().OnKestrel(port);
        var ops = host.CreateClient();
        var rider = RiderApp.NewRider();
        var id = await host.DeliveringOrderAsync(rider);
        var riderApp = host.ClientFor(TestCaller.Rider(rider));
        var path = Enumerable.Range(0, 8).Select(i => RiderApp.AlongRoute(0.05 + (i * 0.015))).ToList();
        foreach (var at in path)
        {
            host.Clock!.Advance(TimeSpan.FromSeconds(15));
            await riderApp.ReportAsync(rider, at, host.Clock.GetUtcNow());
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AlertBook>()
                .RaiseAsync(id, AlertType.Deviation, rider, new AlertFacts(AlertReason.OffRoute, Meters: 420, Fixes: 3), new Modules.Shared.Domain.GeoCoordinate(path[5].Latitude, path[5].Longitude), false, CancellationToken.None);
        }

        host.Clock!.Advance(TimeSpan.FromSeconds(10));
        (await ops.DeliveredAsync(id, rider)).EnsureSuccessStatusCode();
        await host.Notifications.WaitFor<OrderDelivered>(d => d.OrderId == id);
        await Eventually.Until(async () => (await ops.GetStringAsync($"/api/orders/{id}/timeline")).Contains("\"OrderDelivered\"", StringComparison.Ordinal));
        await using var session = await browser.OpenAsync();
        var page = session.Page;

        await page.GotoAsync(PageHost.Url(port, $"/replay/{id}", host.TokenFor(TestCaller.DefaultOps)));

        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync("8 个定位点");
        var marker = page.Locator("#replay-rider");
        (await Coordinate(marker, "data-lat")).Should().BeApproximately(path[0].Latitude, 1e-9);
        await Assertions.Expect(page.Locator(".alert-marker")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".stage-marker[data-event=OrderDelivered]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#timeline li[data-event=DeviationAlertRaised]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#timeline li[data-event=DeviationAlertRaised]")).ToContainTextAsync("偏离路线");
        await Assertions.Expect(page.Locator(".alert-marker[data-event=Deviation]")).ToHaveAttributeAsync("title", "偏离路线 · 偏离配送路线 420 米（连续 3 个定位点）");
        await page.Locator("#language").ClickAsync();
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync("8 fixes");
        await Assertions.Expect(page.Locator("#timeline li[data-event=DeviationAlertRaised]")).ToContainTextAsync("Off route");
        await Assertions.Expect(page.Locator(".alert-marker[data-event=Deviation]")).ToHaveAttributeAsync("title", "Off route · 420 m off the route for 3 fixes");
        await page.Locator("#language").ClickAsync();

        await page.Locator("#scrubber").FillAsync("500");
        var middle = await Coordinate(marker, "data-lat");
        middle.Should().BeInRange(Math.Min(path[3].Latitude, path[4].Latitude) - 1e-9, Math.Max(path[3].Latitude, path[4].Latitude) + 1e-9,
            "half way through the ride's time the rider is between the 4th and 5th fix");
        await Browser.ScreenshotAsync(page, "replay");

        // At 120 times the ride's half left plays in about half a second: what is checked is where playing ends, not
        // the moment it is under way (which a busy machine may not catch).
        await page.Locator("#speed").SelectOptionAsync("120");
        (await page.Locator("#scrubber").InputValueAsync()).Should().Be("500");
        await page.Locator("#play").ClickAsync();
        await Assertions.Expect(page.Locator("#scrubber")).ToHaveValueAsync("1000");
        await Assertions.Expect(page.Locator("#play")).ToHaveAttributeAsync("data-playing", "false");
        (await Coordinate(marker, "data-lat")).Should().BeApproximately(path[^1].Latitude, 1e-9, "playing runs to the last fix");
        session.Errors.Should().BeEmpty();
    }

    private static async Task<double> Coordinate(ILocator marker, string attribute) =>
        double.Parse((await marker.GetAttributeAsync(attribute))!, CultureInfo.InvariantCulture);
}
