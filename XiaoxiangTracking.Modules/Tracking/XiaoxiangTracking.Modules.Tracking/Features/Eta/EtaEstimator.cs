using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Features.Quality;
using XiaoxiangTracking.Modules.Tracking.Live;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Eta;

/// <summary>A warehouse's recent picking time per item and wait for a rider after hand-over.</summary>
internal sealed record PickingPace(TimeSpan PerItem, TimeSpan AssignmentWait, bool Learned);

/// <summary>
/// Estimates when a delivering order arrives — on assignment and on each position — from the distance left (to the
/// warehouse first while the rider has not picked up, then to the customer) and the speed of past deliveries in the
/// customer's area at this hour (falling back to the hour anywhere, then to the default speed). Files each completed
/// delivery's speed for learning.
/// </summary>
internal sealed class EtaEstimator(
    TrackingDbContext db, LiveOrderStore store, LearnedSpeeds learned, IOptions<EtaOptions> options, IOptions<PositionFilterOptions> filters, IOptions<AlertOptions> alerts,
    TimeProvider clock)
{
    /// <summary>What confidence an estimate has when what it is made from is thin (a ride not yet a minute old, no recent fix, no rider yet).</summary>
    public const string ThinConfidence = "Low";

    /// <summary>Re-estimates a delivering order from its rider's latest fix; it changes only when what is shown changes.</summary>
    public async Task UpdateAsync(LiveOrder order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (order is not { IsActive: true, Status: OrderStatus.Delivering, RiderId: { } riderId })
        {
            return;
        }

        var fix = await db.RiderFixes.AsNoTracking().SingleOrDefaultAsync(f => f.RiderId == riderId, cancellationToken);
        var run = await RunAsync(db, riderId, cancellationToken);
        var speed = await SpeedForAsync(order, now, cancellationToken);
        // How well the ride is tracked is how much to trust the estimate — once there is a minute of it to judge.
        var quality = order.AssignedAt is { } assigned && now - assigned >= TimeSpan.FromMinutes(1)
            ? (await TrackingQuality.ReportAsync(db, order, now, cancellationToken))?.Confidence
            : null;
        await store.ChangeAsync(order.OrderId, live => new LiveChange.EtaChanged(FromFix(live, run, fix, speed, quality, now)), cancellationToken);
    }

    /// <summary>
    /// The estimate as of the fix: the rider was there at its fix time, however late it is evaluated; when that is
    /// already due, from where the rider last was as of now.
    /// </summary>
    private LiveEta FromFix(LiveOrder order, RiderRun run, RiderFix? fix, RideSpeed speed, string? quality, DateTimeOffset now)
    {
        var asOfFix = fix is { FixTime: var fixTime } && fixTime <= now ? Ride(order, run, fix.Location, speed, fixTime) : null;
        var estimate = asOfFix is not null && asOfFix.EstimatedAt >= now ? asOfFix : Ride(order, run, fix?.Location, speed, now);
        var thin = quality is null || fix is null || now - fix.FixTime > alerts.Value.OfflineAfter;
        return Shown(estimate with { Confidence = thin ? ThinConfidence : quality }, order, now);
    }

    /// <summary>The speed to expect for the order's area at this hour, learned from past deliveries when there are enough.</summary>
    public Task<RideSpeed> SpeedForAsync(LiveOrder order, DateTimeOffset now, CancellationToken cancellationToken) =>
        LearnAsync(Area(order.DeliveryLocation, options.Value), LocalHour(now, options.Value), cancellationToken);

    /// <summary>
    /// The first estimate of a new assignment from where the rider is (the warehouse when unknown), as shown: to the
    /// warehouse first while the order has not been picked up, then to the customer; its confidence is thin (a new
    /// ride). The move evaluator, which the assignment wakes, makes it again through the rider's other orders.
    /// </summary>
    public LiveEta Estimate(LiveOrder order, GeoCoordinate? rider, RideSpeed speed, DateTimeOffset now) =>
        Shown(Ride(order, new RiderRun([order]), rider, speed, now) with { Confidence = ThinConfidence }, order, now);

    /// <summary>The rider's run: every order the rider is delivering.</summary>
    public static async Task<RiderRun> RunAsync(TrackingDbContext db, string riderId, CancellationToken cancellationToken) =>
        new(await db.LiveOrders.AsNoTracking()
            .Where(l => l.RiderId == riderId && l.IsActive && l.Status == OrderStatus.Delivering)
            .ToListAsync(cancellationToken));

    private static LiveEta Ride(LiveOrder order, RiderRun run, GeoCoordinate? rider, RideSpeed speed, DateTimeOffset now) =>
        EtaModel.Estimate(run.RemainingMeters(order, rider ?? order.WarehouseLocation), speed, now);

    /// <summary>
    /// Every estimate passes here on its way to the order: bounded and rounded as customers are shown it. Bounded by the
    /// clock as the change is decided, too: an estimate begun earlier (a refresh round that read the due orders a while
    /// ago, a move evaluated late) is never stored as due before now.
    /// </summary>
    private LiveEta Shown(LiveEta estimate, LiveOrder order, DateTimeOffset now) =>
        EtaModel.Bound(estimate, clock.GetUtcNow() is var current && current > now ? current : now, options.Value.Resolution, order.Eta);

    /// <summary>
    /// Before a rider exists the ETA is composed: what is left of picking (the items at the warehouse's recent pace, less
    /// the time since payment; a tenth of it once packed; nothing once handed over), then the wait for a rider (the
    /// warehouse's recent wait, less the time already waited), then the ride from the warehouse. Its confidence is thin
    /// unless both the pace and the speed are learned (then Medium: no ride to judge yet).
    /// </summary>
    public LiveEta BeforeRider(LiveOrder order, PickingPace pace, RideSpeed speed, bool packed, DateTimeOffset now)
    {
        var picking = order.Status == OrderStatus.Paid
            ? pace.PerItem * Math.Max(1, order.ItemCount)
            : TimeSpan.Zero;
        var pickingLeft = packed ? picking / 10
            : order.PaidAt is { } paidAt && order.Status == OrderStatus.Paid ? Max(TimeSpan.Zero, picking - (now - paidAt))
            : picking;
        var waitLeft = order.HandedOverAt is { } handedOver ? Max(TimeSpan.Zero, pace.AssignmentWait - (now - handedOver)) : pace.AssignmentWait;
        var before = pickingLeft + waitLeft;
        var ride = EtaModel.Estimate(GeoDistance.Meters(order.WarehouseLocation, order.DeliveryLocation), speed, now);
        var learnedBoth = speed.Learned && pace.Learned;
        return Shown(new LiveEta(ride.EstimatedAt + before, ride.Earliest + (before * 0.75), ride.Latest + (before * 1.25),
            speed.Learned || pace.Learned, learnedBoth ? "Medium" : ThinConfidence), order, now);
    }

    /// <summary>The warehouse's recent pace: picking time per item (payment to hand-over) and wait for a rider after hand-over.</summary>
    public async Task<PickingPace> PaceAsync(string warehouseId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var recent = await db.LiveOrders.AsNoTracking()
            .Where(l => l.WarehouseId == warehouseId && l.PaidAt != null && l.HandedOverAt != null && l.ItemCount > 0)
            .OrderByDescending(l => l.HandedOverAt)
            .Take(settings.MaxSamples)
            .Select(l => new { l.PaidAt, l.HandedOverAt, l.AssignedAt, l.ItemCount })
            .ToListAsync(cancellationToken);
        if (recent.Count < settings.MinSamples)
        {
            return new PickingPace(settings.DefaultPickingPerItem, settings.DefaultAssignmentWait, false);
        }

        var perItem = TimeSpan.FromSeconds(recent.Sum(r => (r.HandedOverAt!.Value - r.PaidAt!.Value).TotalSeconds) / recent.Sum(r => r.ItemCount));
        var waits = recent.Where(r => r.AssignedAt is not null)
            .Select(r => Math.Max(0, (r.AssignedAt!.Value - r.HandedOverAt!.Value).TotalSeconds)).ToList();
        return new PickingPace(perItem, waits.Count == 0 ? settings.DefaultAssignmentWait : TimeSpan.FromSeconds(waits.Average()), true);
    }

    /// <summary>Re-estimates an order that has no rider yet (after a warehouse stage, or as it falls due); it changes only when what is shown changes.</summary>
    public async Task UpdateBeforeRiderAsync(string orderId, bool packed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var order = await db.LiveOrders.AsNoTracking().SingleOrDefaultAsync(l => l.OrderId == orderId, cancellationToken);
        if (order is not { IsActive: true, RiderId: null } || order.Status is not (OrderStatus.Paid or OrderStatus.Delivering))
        {
            return;
        }

        var pace = await PaceAsync(order.WarehouseId, cancellationToken);
        var speed = await SpeedForAsync(order, now, cancellationToken);
        await store.ChangeAsync(orderId,
            live => live.RiderId is null ? new LiveChange.EtaChanged(BeforeRider(live, pace, speed, packed, now)) : null,
            cancellationToken);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The completed delivery's speed, to be saved with the change that completes it; null without a known pick-up.</summary>
    public DeliverySpeed? Sample(LiveOrder order, DateTimeOffset deliveredAt)
    {
        if (order.ArrivedAtWarehouseAt is not { } pickedUp || deliveredAt <= pickedUp)
        {
            return null;
        }

        var settings = options.Value;
        var meters = GeoDistance.Meters(order.WarehouseLocation, order.DeliveryLocation);
        var seconds = (deliveredAt - pickedUp).TotalSeconds;
        return Plausible(meters, seconds)
            ? new DeliverySpeed(order.OrderId, Area(order.DeliveryLocation, settings), LocalHour(pickedUp, settings), meters, seconds, deliveredAt)
            : null;
    }

    /// <summary>
    /// Whether a ride's straight-line speed is one a rider can ride: no faster than the position filter lets a rider move
    /// (a delivery marked done at the door of the warehouse, or recorded late, teaches nothing about riding).
    /// </summary>
    private bool Plausible(double meters, double seconds) => meters > 0 && seconds > 0 && meters / seconds <= filters.Value.MaxSpeedMetersPerSecond;

    /// <summary>A completed delivery's speed was filed: estimates learn from it from now on.</summary>
    public void SpeedFiled() => learned.Forget();

    private Task<RideSpeed> LearnAsync(string area, int hour, CancellationToken cancellationToken) =>
        learned.GetAsync(area, hour, () => LearnFromDeliveriesAsync(area, hour, cancellationToken));

    private async Task<RideSpeed> LearnFromDeliveriesAsync(string area, int hour, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        foreach (var rides in new[]
                 {
                     db.DeliverySpeeds.AsNoTracking().Where(s => s.Area == area && s.Hour == hour),
                     db.DeliverySpeeds.AsNoTracking().Where(s => s.Hour == hour),
                 })
        {
            var fastest = filters.Value.MaxSpeedMetersPerSecond;
            var samples = await rides.Where(s => s.Meters <= s.Seconds * fastest).OrderByDescending(s => s.CompletedAt).Take(settings.MaxSamples)
                .Select(s => new { s.Meters, s.Seconds }).ToListAsync(cancellationToken);
            if (samples.Count >= settings.MinSamples)
            {
                return EtaModel.Learn([.. samples.Select(s => (s.Meters, s.Seconds))], settings);
            }
        }

        return EtaModel.Learn([], settings);
    }

    private static string Area(GeoCoordinate location, EtaOptions settings) =>
        Geohash.Encode(location.Latitude, location.Longitude, settings.AreaPrecision);

    private static int LocalHour(DateTimeOffset at, EtaOptions settings) => at.ToOffset(settings.LocalUtcOffset).Hour;
}
