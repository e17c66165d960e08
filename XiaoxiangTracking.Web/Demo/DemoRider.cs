using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using XiaoxiangTracking.Modules.Shared.Domain;

namespace XiaoxiangTracking.Web.Demo;

/// <summary>
/// One simulated rider app: rides to a warehouse's counter when called there, follows its assignments on the hub,
/// rides the bag to the customer along a street grid, reports a noisy fix every report interval, buffers while out of
/// signal and uploads the buffer, and reports the delivery. Some rides stall or detour, so alerts happen.
/// </summary>
internal sealed class DemoRider(string id, GeoCoordinate start, DemoApi api, DemoOptions options, TimeProvider clock, Random random, ILogger logger)
{
    private readonly DemoCaller _caller = new("rider", id);
    private readonly ConcurrentQueue<(string OrderId, bool Assigned)> _inbox = new();
    private readonly Queue<GeoCoordinate> _route = new();
    private readonly List<JsonObject> _buffer = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Queue<Ride> _pending = new();
    private readonly List<(string OrderId, bool Assigned)> _retry = [];
    private readonly GeoCoordinate _home = start;
    private GeoCoordinate _at = start;
    private Ride? _ride;
    private long _points;
    private int _load;
    private int _reserved;
    private System.Runtime.CompilerServices.StrongBox<GeoCoordinate>? _summoned;

    public string Id { get; } = id;

    /// <summary>Where the rider is now (read by the warehouse choosing whom to hand an order to).</summary>
    public GeoCoordinate Position => _at;

    /// <summary>Orders the rider has or is being handed, not yet delivered or taken away.</summary>
    public int Load => Volatile.Read(ref _load);

    /// <summary>
    /// The warehouse hands the rider an order if the rider is free: counted at once, so two hand-overs at the same
    /// moment do not both take the same rider; the assignment arriving on the hub takes the reservation's place.
    /// </summary>
    public bool TryReserve()
    {
        if (Interlocked.CompareExchange(ref _load, 1, 0) != 0)
        {
            return false;
        }

        Interlocked.Increment(ref _reserved);
        return true;
    }

    /// <summary>A hand-over the API refused.</summary>
    public void Unreserve()
    {
        Interlocked.Decrement(ref _reserved);
        Interlocked.Decrement(ref _load);
    }

    private void Taken()
    {
        // An assignment the warehouse reserved, or one from before a restart (which nobody reserved).
        if (Interlocked.Decrement(ref _reserved) < 0)
        {
            Interlocked.Increment(ref _reserved);
            Interlocked.Increment(ref _load);
        }
    }

    private void Dropped() => Interlocked.Decrement(ref _load);

    /// <summary>The warehouse calls the reserved rider to its counter; the rider rides there at the next report.</summary>
    public void Summon(GeoCoordinate warehouse) => Volatile.Write(ref _summoned, new(warehouse));

    /// <summary>Whether the rider is at <paramref name="place"/> (within a few metres, GPS aside).</summary>
    public bool IsAt(GeoCoordinate place) => GeoDistance.Meters(_at, place) < 20;

    /// <summary>
    /// Starts where the rider's last stored fix is, if it has one (a restart on the same data), so its first report
    /// continues its track instead of jumping back to its starting point.
    /// </summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var last = await api.SendAsync(_caller, HttpMethod.Get, $"/api/tracking/riders/{Id}/position", null, cancellationToken);
            _at = new GeoCoordinate(last!["latitude"]!.GetValue<double>(), last["longitude"]!.GetValue<double>());
        }
        catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Never reported: start at home.
        }
    }

    public HubConnection? Hub { get; private set; }

    public async Task ConnectAsync(Func<HttpMessageHandler> handler, CancellationToken cancellationToken)
    {
        var transport = Enum.Parse<Microsoft.AspNetCore.Http.Connections.HttpTransportType>(options.HubTransport);
        Hub = new HubConnectionBuilder()
            .WithUrl(new Uri(api.BaseAddress, "/hubs/tracking"), connection =>
            {
                connection.Transports = transport;
                connection.AccessTokenProvider = async () => await api.TokenAsync(_caller, CancellationToken.None);
                connection.HttpMessageHandlerFactory = _ => handler();
            })
            .WithAutomaticReconnect()
            .Build();
        Hub.On<JsonObject>("OrderUpdated", update =>
        {
            if (update["riderId"]?.GetValue<string>() == Id && update["status"]?.GetValue<int>() == 3 && update["active"]?.GetValue<bool>() != false)
            {
                _inbox.Enqueue((update["orderId"]!.GetValue<string>(), true));
            }
        });
        Hub.On<string>("OrderRemoved", orderId => _inbox.Enqueue((orderId, false)));
        Hub.Reconnected += _ => Hub.InvokeAsync("SubscribeAssignments", Id);
        await Hub.StartAsync(cancellationToken);
        await Hub.InvokeAsync("SubscribeAssignments", Id, cancellationToken);
    }

    /// <summary>One report interval: take new assignments, move, report (or buffer), deliver on arrival.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await TakeAssignmentsAsync(now, cancellationToken);
        var before = _at;
        if (_ride?.StalledFrom is not { } stall || now < stall || now >= stall + TimeSpan.FromMinutes(6))
        {
            Move(options.SpeedMetersPerSecond * options.ReportInterval.TotalSeconds);
        }

        await ReportAsync(now, before, cancellationToken);
        if (_ride is { } ride && _route.Count == 0)
        {
            await DeliverAsync(ride, cancellationToken);
        }
    }

    /// <summary>
    /// At the door: report the delivery. A conflict (the order changing at that moment) is retried at the next report,
    /// as the app does; an order that is no longer this rider's is let go.
    /// </summary>
    private async Task DeliverAsync(Ride ride, CancellationToken cancellationToken)
    {
        try
        {
            await api.SendAsync(_caller, HttpMethod.Post, $"/api/orders/{ride.OrderId}/delivered", new { }, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            logger.LogInformation("Demo rider {RiderId}: delivering {OrderId} conflicted; retrying", Id, ride.OrderId);
            return;
        }
        catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            logger.LogInformation("Demo rider {RiderId}: {OrderId} is no longer theirs", Id, ride.OrderId);
        }

        _ride = null;
        _known.Remove(ride.OrderId);
        Dropped();
    }

    private async Task TakeAssignmentsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (_inbox.TryDequeue(out var message))
        {
            if (!message.Assigned)
            {
                // Reassigned away: forget it, wherever it was in the day's work.
                if (_known.Remove(message.OrderId))
                {
                    Dropped();
                }

                var remaining = _pending.Where(r => r.OrderId != message.OrderId).ToList();
                _pending.Clear();
                remaining.ForEach(_pending.Enqueue);
                if (_ride?.OrderId == message.OrderId)
                {
                    _ride = null;
                    _route.Clear();
                }

                continue;
            }

            if (_known.Contains(message.OrderId))
            {
                continue; // A resync's snapshot of an order already taken.
            }

            JsonNode? order;
            try
            {
                order = await api.SendAsync(_caller, HttpMethod.Get, $"/api/orders/{message.OrderId}", null, cancellationToken);
            }
            catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Orders may not have recorded the assignment yet: ask again at the next report.
                _retry.Add(message);
                continue;
            }

            _known.Add(message.OrderId);
            Taken();
            _pending.Enqueue(new Ride(
                message.OrderId,
                new GeoCoordinate(order!["deliveryAddress"]!["latitude"]!.GetValue<double>(), order["deliveryAddress"]!["longitude"]!.GetValue<double>())));
        }

        _retry.ForEach(_inbox.Enqueue);
        _retry.Clear();
        if (_ride is null && _pending.TryDequeue(out var next))
        {
            Volatile.Write(ref _summoned, null);
            Start(next, now);
        }
        else if (_ride is null && Volatile.Read(ref _summoned) is { Value: var counter } && _route.Count == 0 && !IsAt(counter))
        {
            Streets(_at, counter);
        }
    }

    /// <summary>
    /// Plans the ride to the customer (sometimes by way of a detour) from where the rider is — the bag was handed over at
    /// the counter, or, after a restart, the rider already had it; maybe a stall or a signal loss on the way.
    /// </summary>
    private void Start(Ride ride, DateTimeOffset now)
    {
        _route.Clear();
        if (random.NextDouble() < options.DetourShare)
        {
            // Well off the way: a kilometre to the side, then on to the customer.
            var aside = GeoDistance.Offset(Midpoint(_at, ride.Customer), 1000 * ((random.Next(2) * 2) - 1), 1000);
            Streets(_at, aside);
            Streets(aside, ride.Customer);
        }
        else
        {
            Streets(_at, ride.Customer);
        }

        _ride = ride with
        {
            OfflineFrom = random.NextDouble() < options.OfflineShare ? now + TimeSpan.FromMinutes(1) : null,
            StalledFrom = random.NextDouble() < options.StallShare ? now + TimeSpan.FromMinutes(2) : null,
        };
    }

    private async Task ReportAsync(DateTimeOffset now, GeoCoordinate before, CancellationToken cancellationToken)
    {
        var noisy = GeoDistance.Offset(_at, Gaussian() * options.GpsNoiseMeters, Gaussian() * options.GpsNoiseMeters);
        var moved = GeoDistance.Meters(before, _at);
        var fix = new JsonObject
        {
            ["pointId"] = $"{Id}-{++_points}",
            ["fixTime"] = now,
            ["latitude"] = Math.Round(noisy.Latitude, 6),
            ["longitude"] = Math.Round(noisy.Longitude, 6),
            ["accuracy"] = Math.Round(5 + (random.NextDouble() * 10), 1),
            ["speed"] = Math.Round(moved / options.ReportInterval.TotalSeconds, 1),
        };
        if (moved > 1)
        {
            fix["heading"] = Math.Round(Heading(before, _at), 0);
        }

        if (_ride?.OfflineFrom is { } offline && now >= offline && now < offline + TimeSpan.FromSeconds(150))
        {
            _buffer.Add(fix); // Out of signal: the app keeps the fixes and uploads them when it is back.
            return;
        }

        if (_buffer.Count > 0)
        {
            _buffer.Add(fix);
            await api.SendAsync(_caller, HttpMethod.Post, "/api/tracking/positions/batch", new { positions = _buffer }, cancellationToken);
            logger.LogInformation("Demo rider {RiderId} uploaded {Count} buffered fixes", Id, _buffer.Count);
            _buffer.Clear();
            return;
        }

        await api.SendAsync(_caller, HttpMethod.Post, "/api/tracking/positions", fix, cancellationToken);
    }

    private void Move(double meters)
    {
        if (_route.Count == 0 && Volatile.Read(ref _summoned) is not null)
        {
            return; // At the counter, waiting for the bag.
        }

        if (_route.Count == 0)
        {
            // Waiting for work: potter about near home, reporting as the app does.
            var drift = GeoDistance.Meters(_at, _home) > 300 ? _home : GeoDistance.Offset(_at, random.Next(-40, 41), random.Next(-40, 41));
            _at = Toward(_at, drift, Math.Min(meters, 60));
            return;
        }

        while (meters > 0 && _route.Count > 0)
        {
            var next = _route.Peek();
            var left = GeoDistance.Meters(_at, next);
            if (left <= meters)
            {
                _at = next;
                meters -= left;
                _route.Dequeue();
            }
            else
            {
                _at = Toward(_at, next, meters);
                meters = 0;
            }
        }
    }

    /// <summary>
    /// Along a street grid: blocks of at most <see cref="BlockMeters"/>, a north–south street then an east–west one, so
    /// the way stays within a block of the straight line (and inside the route corridor the alert rules allow).
    /// </summary>
    private void Streets(GeoCoordinate from, GeoCoordinate to)
    {
        var blocks = Math.Max(1, (int)Math.Ceiling(GeoDistance.Meters(from, to) / BlockMeters));
        for (var i = 1; i <= blocks; i++)
        {
            var f = (double)i / blocks;
            var corner = new GeoCoordinate(from.Latitude + ((to.Latitude - from.Latitude) * f), from.Longitude + ((to.Longitude - from.Longitude) * ((i - 1.0) / blocks)));
            _route.Enqueue(corner);
            _route.Enqueue(new GeoCoordinate(corner.Latitude, from.Longitude + ((to.Longitude - from.Longitude) * f)));
        }
    }

    private const double BlockMeters = 300;

    private static GeoCoordinate Toward(GeoCoordinate from, GeoCoordinate to, double meters)
    {
        var distance = GeoDistance.Meters(from, to);
        if (distance <= meters || distance == 0)
        {
            return to;
        }

        var f = meters / distance;
        return new GeoCoordinate(from.Latitude + ((to.Latitude - from.Latitude) * f), from.Longitude + ((to.Longitude - from.Longitude) * f));
    }

    private static GeoCoordinate Midpoint(GeoCoordinate a, GeoCoordinate b) => new((a.Latitude + b.Latitude) / 2, (a.Longitude + b.Longitude) / 2);

    private static double Heading(GeoCoordinate from, GeoCoordinate to)
    {
        var north = to.Latitude - from.Latitude;
        var east = (to.Longitude - from.Longitude) * Math.Cos(from.Latitude * Math.PI / 180);
        return (Math.Atan2(east, north) * 180 / Math.PI + 360) % 360;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed record Ride(
        string OrderId, GeoCoordinate Customer, DateTimeOffset? OfflineFrom = null, DateTimeOffset? StalledFrom = null);
}
