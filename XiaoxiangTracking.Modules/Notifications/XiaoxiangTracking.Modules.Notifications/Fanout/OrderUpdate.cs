using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>Where the rider is, as the viewer may see it.</summary>
/// <param name="Latitude">WGS 84 latitude (rounded for customers).</param>
/// <param name="Longitude">WGS 84 longitude (rounded for customers).</param>
/// <param name="FixTime">When the rider's device took the fix.</param>
/// <param name="Speed">Speed in m/s, when reported.</param>
/// <param name="Heading">Heading in degrees, when reported.</param>
internal sealed record PositionView(double Latitude, double Longitude, DateTimeOffset FixTime, double? Speed, double? Heading);

/// <summary>A place on the map.</summary>
/// <param name="Latitude">WGS 84 latitude.</param>
/// <param name="Longitude">WGS 84 longitude.</param>
internal sealed record PlaceView(double Latitude, double Longitude);

/// <summary>
/// One push about one order (hub method <c>OrderUpdated</c>). A snapshot (<see cref="Snapshot"/> true) is the whole
/// state the viewer may see at <see cref="TrackingVersion"/>: it replaces what the client holds. A delta carries only the
/// fields that changed (null: unchanged), names in <see cref="Cleared"/> the fields that no longer have a value, and is
/// applied only on top of <c>TrackingVersion - 1</c>.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="TrackingVersion">The order's tracking version after this update (not the order's own version, <c>orderVersion</c> of the REST order).</param>
/// <param name="Snapshot">True for a whole state, false for a delta.</param>
/// <param name="Status">Status code 1–5.</param>
/// <param name="RiderId">The rider (riders and ops only).</param>
/// <param name="Position">The rider's position (customers: only while delivering, rounded).</param>
/// <param name="Active">False once the order is completed or cancelled.</param>
/// <param name="DeliveryAddress">The delivery address (riders and ops; snapshots only).</param>
/// <param name="CustomerId">The customer (ops only; snapshots only).</param>
/// <param name="WarehouseId">The warehouse (riders and ops; snapshots only).</param>
/// <param name="Alerts">The alert types open on the order (ops only; in a delta, when the set changed).</param>
/// <param name="Eta">The arrival estimate and its likely range (in a delta, when it moved by a minute or more).</param>
/// <param name="Destination">Where the order goes (riders and ops; snapshots only).</param>
/// <param name="Cleared">In a delta: the fields that no longer have a value (<c>position</c>, <c>eta</c>); null when none.</param>
/// <param name="Collected">Whether the rider has collected the order at the warehouse (in a delta: when it just did).</param>
internal sealed record OrderUpdate(
    string OrderId,
    long TrackingVersion,
    bool Snapshot,
    int? Status,
    string? RiderId,
    PositionView? Position,
    bool? Active,
    string? DeliveryAddress,
    string? CustomerId,
    string? WarehouseId,
    IReadOnlyList<string>? Alerts,
    LiveEta? Eta,
    PlaceView? Destination = null,
    IReadOnlyList<string>? Cleared = null,
    bool? Collected = null);

/// <summary>The hub's client methods, by name.</summary>
internal static class ClientMethods
{
    /// <summary><c>OrderUpdated(OrderUpdate)</c>: a snapshot or a delta.</summary>
    public const string OrderUpdated = nameof(OrderUpdated);

    /// <summary><c>OrderRemoved(orderId)</c>: the order is no longer this rider's (reassigned) or left the fleet view.</summary>
    public const string OrderRemoved = nameof(OrderRemoved);

    /// <summary><c>Versions({orderId: trackingVersion})</c>: the current tracking version of every order the connection follows.</summary>
    public const string Versions = nameof(Versions);
}

/// <summary>
/// The hub's messages for a viewer (DESIGN: customer, rider and ops see different granularity): the state or change as
/// <see cref="LiveViews"/> lets the viewer see it, with what is withheld left out of the message.
/// </summary>
internal static class OrderViews
{
    public static OrderUpdate Snapshot(LiveOrderSnapshot state, OrderViewer viewer)
    {
        var seen = state.For(viewer);
        var delivery = LiveViews.SeesDelivery(viewer);
        var everything = LiveViews.SeesEverything(viewer);
        return new(seen.OrderId, seen.Version, true, (int)seen.Status, seen.RiderId, View(seen.Position), seen.Active,
            delivery ? seen.DeliveryAddress : null, everything ? seen.CustomerId : null, delivery ? seen.WarehouseId : null,
            everything ? Names(seen.Alerts) : null, seen.Eta, delivery ? Place(seen.DeliveryLocation) : null, null, seen.Collected);
    }

    /// <summary>A delta for the viewer: only what changed and the viewer may see.</summary>
    public static OrderUpdate Delta(OrderTrackingChanged change, OrderViewer viewer)
    {
        var seen = LiveViews.Of(change, viewer);
        return new(seen.OrderId, seen.Version, false, (int?)seen.Status, seen.RiderId, View(seen.Position), seen.Active, null, null, null,
            seen.Alerts is null ? null : Names(seen.Alerts), seen.Eta, null, Names(seen.Cleared), seen.Collected);
    }

    private static readonly IReadOnlyList<string>[] ClearedNames =
        [.. Enumerable.Range(0, 4).Select(flags => (IReadOnlyList<string>)[
            .. ((LiveFields)flags).HasFlag(LiveFields.Position) ? ["position"] : Array.Empty<string>(),
            .. ((LiveFields)flags).HasFlag(LiveFields.Eta) ? ["eta"] : Array.Empty<string>()])];

    /// <summary>The names of the cleared fields as the client's messages spell them; null when none.</summary>
    private static IReadOnlyList<string>? Names(LiveFields cleared) => cleared == LiveFields.None ? null : ClearedNames[(int)cleared];

    private static IReadOnlyList<string> Names(IReadOnlyList<AlertType> alerts) => [.. alerts.Select(a => a.ToString())];

    private static PlaceView Place(Shared.Domain.GeoCoordinate at) => new(at.Latitude, at.Longitude);

    private static PositionView? View(LivePosition? position) =>
        position is null ? null : new(position.Latitude, position.Longitude, position.FixTime, position.Speed, position.Heading);
}
