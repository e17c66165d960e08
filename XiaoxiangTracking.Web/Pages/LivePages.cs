using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Web.Pages;

/// <summary>The live pages' settings (section <c>Pages</c>).</summary>
internal sealed class PagesOptions
{
    public const string SectionName = "Pages";

    /// <summary>The map tile URL template (Leaflet's: <c>{s}</c>, <c>{z}</c>, <c>{x}</c>, <c>{y}</c>); empty for no tiles.</summary>
    public string TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    /// <summary>The attribution the tile provider requires, shown on the map.</summary>
    public string TileAttribution { get; set; } = "© OpenStreetMap contributors";

    /// <summary>The deepest zoom the tiles offer.</summary>
    [Range(1, 22)]
    public int MaxZoom { get; set; } = 19;

    /// <summary>The tile server's origin for the pages' Content-Security-Policy (<c>{s}</c> subdomains as a wildcard).</summary>
    public string? TileOrigin() =>
        Uri.TryCreate(TileUrl.Replace("{s}", "s", StringComparison.Ordinal), UriKind.Absolute, out var url)
            ? $"{url.Scheme}://{(TileUrl.Contains("{s}.", StringComparison.Ordinal) ? "*." + url.Host[2..] : url.Host)}{(url.IsDefaultPort ? "" : $":{url.Port}")}"
            : null;
}

/// <summary>What a page needs to know before it can draw: the tiles, and whether development tokens can be asked for.</summary>
/// <param name="TileUrl">Tile URL template, or empty.</param>
/// <param name="TileAttribution">Attribution of the tiles.</param>
/// <param name="MaxZoom">Deepest zoom.</param>
/// <param name="DevelopmentTokens">True where <c>POST /api/dev/tokens</c> exists (Development).</param>
internal sealed record PageSettings(string TileUrl, string TileAttribution, int MaxZoom, bool DevelopmentTokens);

/// <summary>
/// The live pages: the customer's tracking page (<c>/track/{orderId}</c>, and read-only by a share link at
/// <c>/t/{token}</c>), the ops map (<c>/ops</c>) and the replay of a delivery (<c>/replay/{orderId}</c>). They are static files (wwwroot) that call the API and the hub with the
/// user's token, so the pages themselves are public and carry no data; a strict Content-Security-Policy allows only
/// this host's scripts and the configured tile server's images.
/// </summary>
internal static class LivePages
{
    private static readonly (string Route, string File)[] Pages =
    [
        ("/track/{orderId}", "track.html"),
        ("/ops", "ops.html"),
        ("/replay/{orderId}", "replay.html"),
    ];

    public static WebApplicationBuilder AddLivePages(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PagesOptions>(builder.Configuration, PagesOptions.SectionName);
        return builder;
    }

    /// <summary>Static files (the pages' scripts, styles and libraries) without authentication.</summary>
    public static WebApplication UseLivePageAssets(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context => context.Context.Response.Headers.XContentTypeOptions = "nosniff",
        });
        return app;
    }

    public static WebApplication MapLivePages(this WebApplication app)
    {
        foreach (var (route, file) in Pages)
        {
            app.MapGet(route, (HttpContext context, IWebHostEnvironment environment, IOptions<PagesOptions> options) => Page(context, environment, options.Value, file))
                .AllowAnonymous()
                .ExcludeFromDescription();
        }

        // A share link opens the customer's page read-only; a token that is unknown, expired or revoked gets one and
        // the same "not found" page, and guessing is limited per address.
        app.MapGet("/t/{token}", async (string token, HttpContext context, IWebHostEnvironment environment, IOptions<PagesOptions> options, IShareLinks links) =>
                await links.FindAsync(token, context.RequestAborted) is null
                    ? Page(context, environment, options.Value, "link-not-found.html", StatusCodes.Status404NotFound)
                    : Page(context, environment, options.Value, "track.html"))
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.ShareLinkOpens)
            .ExcludeFromDescription();

        app.MapGet("/pages/settings", (IOptions<PagesOptions> options, IWebHostEnvironment environment) =>
                TypedResults.Ok(new PageSettings(options.Value.TileUrl, options.Value.TileAttribution, options.Value.MaxZoom, environment.IsDevelopment())))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Page(HttpContext context, IWebHostEnvironment environment, PagesOptions options, string file, int status = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(options);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        context.Response.StatusCode = status;
        return Results.File(environment.WebRootFileProvider.GetFileInfo(file).CreateReadStream(), "text/html; charset=utf-8");
    }

    private static string ContentSecurityPolicy(PagesOptions options) =>
        $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {options.TileOrigin()}; "
        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
}
