using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Pages;

/// <summary>
/// Debian's Chromium driven by Playwright, one browser for all page tests (each test has its own context). The
/// machine's network is closed: background networking is off, and the map tiles are pointed at a closed port, so the
/// pages are shown as they must work when tiles cannot load.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    /// <summary>Where screenshots go: the test output folder.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        File.Exists(ChromiumPath).Should().BeTrue("the page tests drive Debian's chromium package (apt-get install chromium)");
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Flags,
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>
    /// A new page in its own context (own storage), with the viewport given (a phone's, say). Dispose it before the
    /// host, so the host does not wait for the page's hub connection to end.
    /// </summary>
    public async Task<BrowserPage> OpenAsync(int width = 1280, int height = 800)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("ERR_CONNECTION_REFUSED", StringComparison.Ordinal)
                && !message.Text.Contains("Failed to load resource", StringComparison.Ordinal))
            {
                errors.Add(message.Text);
            }
        };
        return new BrowserPage(page, errors);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png") });
}

/// <summary>A page of its own browser context; disposing it closes the context.</summary>
/// <param name="Page">The page.</param>
/// <param name="Errors">Script errors the page raised (uncaught exceptions, console errors other than unreachable tiles).</param>
public sealed record BrowserPage(IPage Page, IReadOnlyList<string> Errors) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => new(Page.Context.CloseAsync());
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Browser>
{
    public const string Name = "browser";
}

/// <summary>The real host on Kestrel at 127.0.0.1, for a browser to load pages from.</summary>
public static class PageHost
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="host"/> on Kestrel at <paramref name="port"/>, tiles pointed at a closed port.</summary>
    public static TrackingHostFactory OnKestrel(this TrackingHostFactory host, int port)
    {
        host.With("Pages:TileUrl", "http://127.0.0.1:9/{z}/{x}/{y}.png");
        host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        host.StartServer();
        return host;
    }

    public static string Url(int port, string path, string token) => $"http://127.0.0.1:{port}{path}#access_token={Uri.EscapeDataString(token)}";
}
