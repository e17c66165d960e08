using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Shared;
using XiaoxiangTracking.Modules.Shared.Domain;

namespace XiaoxiangTracking.Web.Demo;

/// <summary>How far the demo has got (rounds of rider reports, orders placed), for whoever watches it.</summary>
internal sealed class DemoProgress
{
    private long _rounds;
    private long _orders;

    public long Rounds => Interlocked.Read(ref _rounds);

    public long Orders => Interlocked.Read(ref _orders);

    public void RoundDone() => Interlocked.Increment(ref _rounds);

    public void OrderPlaced() => Interlocked.Increment(ref _orders);
}

/// <summary>
/// A living city for the embedded default: two warehouses in Shanghai, a pool of riders, customers ordering at a
/// steady rate, warehouses picking and handing over, riders delivering. Every action is a call to the public API or
/// the hub with a token of the acting role, exactly as the apps make them; the simulator has no other way in.
/// </summary>
internal sealed class DemoSimulator(
    IOptions<DemoOptions> options,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    IServer server,
    IHttpClientFactory httpClients,
    DemoProgress progress,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService
{
    public const string HttpClientName = "demo";

    /// <summary>The demo warehouses: Pudong (Century Avenue) and Xuhui (Xujiahui).</summary>
    public static readonly IReadOnlyList<(string Id, GeoCoordinate Location)> Warehouses =
    [
        ("wh-pudong-01", new GeoCoordinate(31.2220, 121.5400)),
        ("wh-xuhui-01", new GeoCoordinate(31.1940, 121.4370)),
    ];

    private static readonly (string Sku, string Name, decimal Price)[] Catalogue =
    [
        ("VEG-00123", "有机菠菜 300g", 6.50m), ("FRU-00042", "赣南脐橙 1kg", 12.90m), ("EGG-00007", "土鸡蛋 10枚", 15.80m),
        ("MEA-00311", "黑猪五花肉 500g", 32.00m), ("SEA-00058", "基围虾 400g", 45.00m), ("DAI-00019", "鲜牛奶 950ml", 13.50m),
        ("TOF-00003", "嫩豆腐 400g", 3.80m), ("RIC-00001", "五常大米 2.5kg", 39.90m),
    ];

    private static readonly string[] Streets = ["世纪大道", "张杨路", "浦东南路", "漕溪北路", "肇嘉浜路", "衡山路", "陆家嘴环路", "天钥桥路"];

    private readonly ILogger _logger = loggers.CreateLogger<DemoSimulator>();

    // Orders being placed and paid: not yet among the active orders the API lists.
    private int _ordering;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        if (!environment.IsDevelopment())
        {
            _logger.LogWarning("Demo:Enabled is set, but the demo runs only in Development, where its apps can get tokens");
            return;
        }

        // The apps stop with the host's first signal to stop, before the server stops answering them.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        stoppingToken = stopping.Token;
        await WhenStartedAsync(stoppingToken);
        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = new Uri(settings.ApiBaseAddress ?? ServerAddress());
        var api = new DemoApi(http);
        var random = new Random(settings.Seed);
        var riders = new List<DemoRider>();
        for (var i = 0; i < settings.Riders; i++)
        {
            var (_, warehouse) = Warehouses[i % Warehouses.Count];
            var home = GeoDistance.Offset(warehouse, random.Next(-250, 251), random.Next(-250, 251));
            var rider = new DemoRider($"rider-demo-{i + 1:D2}", home, api, settings, clock, new Random(random.Next()), _logger);
            await rider.ResumeAsync(stoppingToken);
            await rider.ConnectAsync(() => httpClients.CreateClientHandler(), stoppingToken);
            riders.Add(rider);
        }

        _logger.LogInformation("Demo city running: {Riders} riders, an order every {Interval} at {Address}", riders.Count, settings.OrderInterval, http.BaseAddress);
        try
        {
            await Task.WhenAll(RideAsync(riders, settings, stoppingToken), OrderAsync(api, riders, settings, random, stoppingToken));
        }
        finally
        {
            foreach (var rider in riders)
            {
                if (rider.Hub is { } hub)
                {
                    await hub.DisposeAsync();
                }
            }
        }
    }

    private async Task RideAsync(IReadOnlyList<DemoRider> riders, DemoOptions settings, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(settings.ReportInterval, clock);
        do
        {
            await Task.WhenAll(riders.Select(rider => Safely(() => rider.TickAsync(cancellationToken), $"rider {rider.Id}")));
            progress.RoundDone();
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private async Task OrderAsync(DemoApi api, List<DemoRider> riders, DemoOptions settings, Random random, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(settings.OrderInterval, clock);
        var handling = new List<Task>();
        var room = (int)Math.Ceiling(riders.Count * settings.ActiveOrdersPerRider);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            handling.RemoveAll(t => t.IsCompleted);
            // Customers order no faster than the riders deliver: the orders being picked or delivered, as ops see them.
            // Orders still being placed and paid are not among them yet.
            var active = await ActiveOrdersAsync(api, room, cancellationToken) + Volatile.Read(ref _ordering);
            if (active is not null && active < room)
            {
                Interlocked.Increment(ref _ordering);
                handling.Add(Safely(() => OrderAndPickAsync(api, riders, settings, random, cancellationToken), "an order"));
            }
        }

        await Task.WhenAll(handling);
    }

    /// <summary>How many orders are paid and not yet delivered (at most <paramref name="atMost"/>); null when the API did not answer.</summary>
    private async Task<int?> ActiveOrdersAsync(DemoApi api, int atMost, CancellationToken cancellationToken)
    {
        try
        {
            var page = await api.SendAsync(Ops, HttpMethod.Get, $"/api/orders?status=2&status=3&pageSize={atMost}", null, cancellationToken);
            return page!["items"]!.AsArray().Count;
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Demo: counting the active orders failed: {Reason}", ex.Message);
            return null;
        }
    }

    private static readonly DemoCaller Ops = new("ops", "ops-demo");

    /// <summary>
    /// A customer orders and pays; the warehouse receives, picks and packs it, calls the nearest free rider of the
    /// city's own and hands it over at the counter, as a dark store does with its riders.
    /// </summary>
    private async Task OrderAndPickAsync(
        DemoApi api, List<DemoRider> riders, DemoOptions settings, Random random, CancellationToken cancellationToken)
    {
        var (warehouseId, warehouse) = Warehouses[random.Next(Warehouses.Count)];
        var customer = new DemoCaller("customer", $"c-demo-{random.Next(1, 201):D4}");
        var staff = new DemoCaller("warehouse", $"{warehouseId}-staff", warehouseId);
        var distance = settings.CustomerRadiusMeters * Math.Sqrt(0.1 + (0.9 * random.NextDouble()));
        var angle = random.NextDouble() * 2 * Math.PI;
        var home = GeoDistance.Offset(warehouse, distance * Math.Cos(angle), distance * Math.Sin(angle));
        var lines = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Catalogue[random.Next(Catalogue.Length)]).DistinctBy(l => l.Sku)
            .Select(l => new { sku = l.Sku, name = l.Name, quantity = random.Next(1, 4), unitPrice = l.Price }).ToList();
        string orderId;
        try
        {
            orderId = await PlaceAndPayAsync(api, customer, warehouseId, warehouse, home, lines, random, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _ordering);
        }

        // The warehouse's screen shows the order once tracking has it as paid (the outbox delivers it; look again until then).
        while (await LiveStatusAsync(api, staff, orderId, cancellationToken) != 2)
        {
            await Task.Delay(settings.StageDuration, clock, cancellationToken);
        }

        foreach (var stage in new[] { "Received", "Picking", "Packed" })
        {
            await Task.Delay(settings.StageDuration, clock, cancellationToken);
            await api.SendAsync(staff, HttpMethod.Post, "/api/tracking/warehouse-stages", new { orderId, stage }, cancellationToken);
        }

        // The bag waits at the counter for the nearest free rider of this side of the city (a rider rides one order at
        // a time), who is called there; the warehouse hands it over when the rider arrives.
        DemoRider? rider;
        do
        {
            await Task.Delay(settings.StageDuration, clock, cancellationToken);
            rider = riders.Where(r => r.Load == 0 && GeoDistance.Meters(r.Position, warehouse) <= settings.CustomerRadiusMeters * 1.5)
                .MinBy(r => GeoDistance.Meters(r.Position, warehouse));
        }
        while (rider is null || !rider.TryReserve());

        rider.Summon(warehouse);
        while (!rider.IsAt(warehouse))
        {
            await Task.Delay(settings.ReportInterval, clock, cancellationToken);
        }

        try
        {
            await api.SendAsync(staff, HttpMethod.Post, $"/api/orders/{orderId}/picked", new { riderId = rider.Id }, cancellationToken);
        }
        catch
        {
            rider.Unreserve();
            throw;
        }
    }

    private async Task<string> PlaceAndPayAsync(
        DemoApi api, DemoCaller customer, string warehouseId, GeoCoordinate warehouse, GeoCoordinate home, object lines, Random random, CancellationToken cancellationToken)
    {
        var placed = await api.SendAsync(customer, HttpMethod.Post, "/api/orders", new
        {
            lines,
            deliveryAddress = new
            {
                text = $"上海市{Streets[random.Next(Streets.Length)]}{random.Next(1, 999)}号 {random.Next(1, 30)}楼",
                latitude = Math.Round(home.Latitude, 6),
                longitude = Math.Round(home.Longitude, 6),
                recipientName = customer.Subject,
                recipientPhone = $"+86 13{random.Next(0, 10)} {random.Next(1000, 10000)} {random.Next(1000, 10000)}",
            },
            warehouse = new { id = warehouseId, latitude = warehouse.Latitude, longitude = warehouse.Longitude },
        }, cancellationToken);
        var orderId = placed!["id"]!.GetValue<string>();
        progress.OrderPlaced();
        await api.SendAsync(customer, HttpMethod.Post, $"/api/orders/{orderId}/pay",
            new { paymentReference = $"demo-pay-{orderId[..12]}", amount = placed["totalAmount"]!.GetValue<decimal>() }, cancellationToken);
        return orderId;
    }

    /// <summary>The order's status as tracking has it; null until tracking has heard of the order.</summary>
    private static async Task<int?> LiveStatusAsync(DemoApi api, DemoCaller caller, string orderId, CancellationToken cancellationToken)
    {
        try
        {
            return (await api.SendAsync(caller, HttpMethod.Get, $"/api/orders/{orderId}/live", null, cancellationToken))?["status"]?.GetValue<int>();
        }
        catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task Safely(Func<Task> work, string what)
    {
        try
        {
            await work();
        }
        catch (Exception) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopping: what was in flight when the host began to stop does not matter.
        }
        catch (HttpRequestException ex)
        {
            // The demo goes on; the API's answer (in the message) says what was wrong, and there is no more to it.
            _logger.LogWarning("Demo: {What} failed: {Reason}", what, ex.Message);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Demo: {What} failed", what);
        }
    }

    private Task WhenStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(cancellationToken);
    }

    private string ServerAddress() =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal)
        ?? throw new InvalidOperationException("The demo needs the server's address (or Demo:ApiBaseAddress).");
}

internal static class DemoRegistration
{
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DemoOptions>(builder.Configuration, DemoOptions.SectionName);
        // The apps' requests show in the server's own request log; the client's log of each would double it.
        builder.Services.AddHttpClient(DemoSimulator.HttpClientName).RemoveAllLoggers();
        builder.Services.AddSingleton<DemoProgress>();
        builder.Services.AddHostedService<DemoSimulator>();
        return builder;
    }

    /// <summary>The handler the demo's HTTP client uses, for the riders' hub connections.</summary>
    public static HttpMessageHandler CreateClientHandler(this IHttpClientFactory factory) =>
        factory is IHttpMessageHandlerFactory handlers
            ? handlers.CreateHandler(DemoSimulator.HttpClientName)
            : new SocketsHttpHandler();
}
