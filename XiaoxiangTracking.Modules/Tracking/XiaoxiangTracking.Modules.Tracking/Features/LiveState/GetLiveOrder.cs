using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Live;
using System.Security.Claims;
using XiaoxiangTracking.Modules.Shared.Security;
using XiaoxiangTracking.Modules.Orders.Contracts;

namespace XiaoxiangTracking.Modules.Tracking.Features.LiveState;

/// <summary>An order's live tracking state.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Status">Status code: 1 PendingPayment, 2 Paid, 3 Delivering, 4 Completed, 5 Cancelled.</param>
/// <param name="StatusName">The status's name.</param>
/// <param name="RiderId">The rider delivering it; null before one is assigned.</param>
/// <param name="Position">The rider's latest fix while delivering; null before the rider's first fix.</param>
/// <param name="Active">False once completed or cancelled.</param>
/// <param name="TrackingVersion">The tracking version: one more per change of the live state; live updates carry the same number (not the order's own <c>orderVersion</c>).</param>
/// <param name="UpdatedAt">When the state last changed.</param>
/// <param name="Alerts">The alert types open on the order (Stall, Offline, Deviation, TimeoutWarning, Timeout).</param>
/// <param name="Eta">The arrival estimate while delivering: expected time and likely range.</param>
/// <param name="Collected">True once the rider has collected the order at the warehouse (until then the rider is on the way to collect it).</param>
internal sealed record LiveOrderResponse(
    string OrderId,
    int Status,
    string StatusName,
    string? RiderId,
    LivePosition? Position,
    bool Active,
    long TrackingVersion,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> Alerts,
    LiveEta? Eta,
    bool Collected)
{
    /// <summary>The state as <paramref name="viewer"/> may see it (<see cref="LiveViews"/>, as on the hub).</summary>
    public static LiveOrderResponse Of(LiveOrderSnapshot state, OrderViewer viewer)
    {
        var seen = state.For(viewer);
        return new(seen.OrderId, (int)seen.Status, seen.Status.ToString(), seen.RiderId, seen.Position, seen.Active, seen.Version,
            seen.UpdatedAt, [.. seen.Alerts.Select(a => a.ToString())], seen.Eta, seen.Collected);
    }
}

internal sealed record GetLiveOrder(string OrderId, OrderViewer Viewer) : IQuery<LiveOrderResponse>;

internal sealed class GetLiveOrderHandler(LiveOrderCache cache) : IQueryHandler<GetLiveOrder, LiveOrderResponse>
{
    public async ValueTask<LiveOrderResponse> Handle(GetLiveOrder query, CancellationToken cancellationToken) =>
        LiveOrderResponse.Of(await cache.GetAsync(query.OrderId, cancellationToken) ?? throw new NotFoundException("Order", query.OrderId), query.Viewer);
}

internal static class GetLiveOrderEndpoint
{
    public static void MapGetLiveOrder(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/orders/{id}/live", async (string id, ClaimsPrincipal user, IOrderQueries orders, ISender sender, CancellationToken cancellationToken) =>
            {
                var viewer = (await orders.RequireAsync(user, id, cancellationToken)).Viewer;
                return TypedResults.Ok(await sender.Send(new GetLiveOrder(id, viewer), cancellationToken));
            })
            .RequireAuthorization(Policies.Watchers)
            .WithTags("Tracking")
            .WithName("GetLiveOrder")
            .WithSummary("An order's live tracking state (status, rider, rider's position, version)")
            .WithDescription("The whole current state with its tracking version: what a client loads first and again "
                + "whenever it sees a gap in the versions of the live updates it receives.")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
