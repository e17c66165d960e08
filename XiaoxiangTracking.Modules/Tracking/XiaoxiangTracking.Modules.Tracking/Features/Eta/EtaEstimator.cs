using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Features.Quality;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.Eta;

/// <summary>
/// Estimates when a delivering order arrives — on assignment and on each position — from the distance left (to the
/// warehouse first while the rider has not picked up, then to the customer) and the speed of past deliveries in the
/// customer's area at this hour (falling back to the hour anywhere, then to the default speed). Files each completed
/// delivery's speed for learning.
/// </summary>
internal sealed class EtaEstimator(TrackingDbContext db, IOptions<EtaOptions> options)
{
    /// <summary>Re-estimates a delivering order from its rider's latest fix; pushed only when it moved meaningfully.</summary>
    public async Task UpdateAsync(LiveOrder order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (order is not { IsActive: true, Status: OrderStatus.Delivering, RiderId: { } riderId })
        {
            return;
        }

        var fix = await db.RiderFixes.AsNoTracking().SingleOrDefaultAsync(f => f.RiderId == riderId, cancellationToken);
        var speed = await SpeedForAsync(order, now, cancellationToken);
        // How well the ride is tracked is how much to trust the estimate — once there is a minute of it to judge.
        var confidence = order.AssignedAt is { } assigned && now - assigned >= TimeSpan.FromMinutes(1)
            ? (await TrackingQuality.ReportAsync(db, order, now, cancellationToken))?.Confidence
            : null;
        await LiveOrderChanges.SaveAsync(db, order.OrderId,
            live => live.UpdateEta(Estimate(live, fix?.Location, speed, now) with { Confidence = confidence }, options.Value.ChangeThreshold, now),
            cancellationToken);
    }

    /// <summary>The speed to expect for the order's area at this hour, learned from past deliveries when there are enough.</summary>
    public Task<RideSpeed> SpeedForAsync(LiveOrder order, DateTimeOffset now, CancellationToken cancellationToken) =>
        LearnAsync(Area(order.DeliveryLocation, options.Value), LocalHour(now, options.Value), cancellationToken);

    /// <summary>
    /// The arrival range from where the rider is (the warehouse when unknown): to the warehouse first while the order has
    /// not been picked up, then to the customer.
    /// </summary>
    public static LiveEta Estimate(LiveOrder order, GeoCoordinate? rider, RideSpeed speed, DateTimeOffset now)
    {
        var from = rider ?? order.WarehouseLocation;
        var remaining = order.ArrivedAtCustomerAt is not null ? 0
            : order.ArrivedAtWarehouseAt is not null ? GeoDistance.Meters(from, order.DeliveryLocation)
            : GeoDistance.Meters(from, order.WarehouseLocation) + GeoDistance.Meters(order.WarehouseLocation, order.DeliveryLocation);
        return EtaModel.Estimate(remaining, speed, now);
    }

    /// <summary>The completed delivery's speed, to be saved with the change that completes it; null without a known pick-up.</summary>
    public DeliverySpeed? Sample(LiveOrder order, DateTimeOffset deliveredAt)
    {
        if (order.ArrivedAtWarehouseAt is not { } pickedUp || deliveredAt <= pickedUp)
        {
            return null;
        }

        var settings = options.Value;
        return new DeliverySpeed(order.OrderId, Area(order.DeliveryLocation, settings), LocalHour(pickedUp, settings),
            GeoDistance.Meters(order.WarehouseLocation, order.DeliveryLocation), (deliveredAt - pickedUp).TotalSeconds, deliveredAt);
    }

    private async Task<RideSpeed> LearnAsync(string area, int hour, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        foreach (var rides in new[]
                 {
                     db.DeliverySpeeds.AsNoTracking().Where(s => s.Area == area && s.Hour == hour),
                     db.DeliverySpeeds.AsNoTracking().Where(s => s.Hour == hour),
                 })
        {
            var samples = await rides.OrderByDescending(s => s.CompletedAt).Take(settings.MaxSamples)
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
