using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Domain;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Orders.Settings;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Orders.Features.ShareLinks;

/// <summary>A new share link: the only time its address (which holds the token) is shown.</summary>
/// <param name="Id">The link's id (to list or revoke it).</param>
/// <param name="Url">The link to hand out: <c>/t/{token}</c> on this host.</param>
/// <param name="ExpiresAt">The latest it works; it stops sooner if revoked, or two hours after the order ends.</param>
/// <param name="CreatedAt">When it was made.</param>
internal sealed record ShareLinkCreated(string Id, string Url, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt);

/// <summary>A share link of an order (without its token, which is not kept).</summary>
/// <param name="Id">The link's id.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="CreatedBy">Who made it.</param>
/// <param name="ExpiresAt">When it stops (or stopped) working, the order's end counted.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="Active">Whether it works now.</param>
internal sealed record ShareLinkResponse(string Id, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, bool Active);

/// <summary>What a share link's page may know of its order: nothing personal.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Destination">Where it goes, for the map's marker (no address, no name, no phone).</param>
/// <param name="Warehouse">The warehouse it comes from.</param>
/// <param name="ExpiresAt">When the link stops working (sooner if revoked).</param>
internal sealed record SharedOrderResponse(string OrderId, SharedPlace Destination, SharedPlace Warehouse, DateTimeOffset ExpiresAt);

/// <summary>A place on the map.</summary>
/// <param name="Latitude">WGS 84 latitude.</param>
/// <param name="Longitude">WGS 84 longitude.</param>
internal sealed record SharedPlace(double Latitude, double Longitude);

internal sealed record CreateShareLink(string OrderId, string CreatedBy) : ICommand<ShareLinkCreated>;

internal sealed record ListShareLinks(string OrderId) : IQuery<IReadOnlyList<ShareLinkResponse>>;

internal sealed record RevokeShareLink(string OrderId, string LinkId, string RevokedBy) : ICommand;

internal sealed record GetSharedOrder(string OrderId, DateTimeOffset ExpiresAt) : IQuery<SharedOrderResponse>;

internal sealed class CreateShareLinkHandler(OrdersDbContext db, IOptions<OrdersOptions> options, TimeProvider clock)
    : ICommandHandler<CreateShareLink, ShareLinkCreated>
{
    public async ValueTask<ShareLinkCreated> Handle(CreateShareLink command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == command.OrderId)
            .Select(o => new { o.DeliveredAt, o.CancelledAt })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Order", command.OrderId);
        if ((order.DeliveredAt ?? order.CancelledAt) is { } ended && ended + settings.ShareLinkAfterEnd <= now)
        {
            throw new RuleViolationException("order_ended", $"Order {command.OrderId} ended too long ago to be shared.");
        }

        var held = await db.ShareLinks.CountAsync(l => l.OrderId == command.OrderId && l.RevokedAt == null && l.ExpiresAt > now, cancellationToken);
        if (held >= settings.MaxShareLinksPerOrder)
        {
            throw new RuleViolationException("too_many_share_links", $"Order {command.OrderId} already has {held} share links; revoke one first.");
        }

        var (link, token) = ShareLink.Create(command.OrderId, command.CreatedBy, now + settings.ShareLinkLifetime, now);
        db.ShareLinks.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        return new ShareLinkCreated(link.Id, $"/t/{token}",
            ShareLink.EffectiveExpiry(link.ExpiresAt, order.DeliveredAt ?? order.CancelledAt, settings.ShareLinkAfterEnd), link.CreatedAt);
    }
}

internal sealed class ListShareLinksHandler(OrdersDbContext db, IOptions<OrdersOptions> options, TimeProvider clock)
    : IQueryHandler<ListShareLinks, IReadOnlyList<ShareLinkResponse>>
{
    public async ValueTask<IReadOnlyList<ShareLinkResponse>> Handle(ListShareLinks query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ended = await db.Orders.AsNoTracking().Where(o => o.Id == query.OrderId)
            .Select(o => o.DeliveredAt ?? o.CancelledAt).SingleOrDefaultAsync(cancellationToken);
        var links = await db.ShareLinks.AsNoTracking().Where(l => l.OrderId == query.OrderId)
            .OrderBy(l => l.CreatedAt).ToListAsync(cancellationToken);
        return [.. links.Select(l =>
        {
            var expires = ShareLink.EffectiveExpiry(l.ExpiresAt, ended, options.Value.ShareLinkAfterEnd);
            return new ShareLinkResponse(l.Id, l.CreatedAt, l.CreatedBy, expires, l.RevokedAt, l.RevokedAt is null && expires > now);
        })];
    }
}

internal sealed class RevokeShareLinkHandler(OrdersDbContext db, TimeProvider clock) : ICommandHandler<RevokeShareLink>
{
    public async ValueTask<Unit> Handle(RevokeShareLink command, CancellationToken cancellationToken)
    {
        var link = await db.ShareLinks.SingleOrDefaultAsync(l => l.Id == command.LinkId && l.OrderId == command.OrderId, cancellationToken)
            ?? throw new NotFoundException("Share link", command.LinkId);
        link.Revoke(command.RevokedBy, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

internal sealed class GetSharedOrderHandler(OrdersDbContext db) : IQueryHandler<GetSharedOrder, SharedOrderResponse>
{
    public async ValueTask<SharedOrderResponse> Handle(GetSharedOrder query, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == query.OrderId)
            .Select(o => new
            {
                o.DeliveryAddress.Location.Latitude,
                o.DeliveryAddress.Location.Longitude,
                WarehouseLatitude = o.WarehouseLocation.Latitude,
                WarehouseLongitude = o.WarehouseLocation.Longitude,
            })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Order", query.OrderId);
        return new SharedOrderResponse(query.OrderId, new SharedPlace(order.Latitude, order.Longitude),
            new SharedPlace(order.WarehouseLatitude, order.WarehouseLongitude), query.ExpiresAt);
    }
}

/// <summary>The share links as the host's authentication and the hub see them: one rule of when a link holds.</summary>
internal sealed class ShareLinkStore(OrdersDbContext db, IOptions<OrdersOptions> options, TimeProvider clock) : IShareLinks
{
    public async Task<ValidShareLink?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!ShareLinkTokens.LooksLikeOne(token))
        {
            return null;
        }

        var hash = ShareLink.HashOf(token);
        return (await HoldingAsync(l => l.TokenHash == hash, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlySet<string>> StillValidAsync(IReadOnlyCollection<string> linkIds, CancellationToken cancellationToken)
    {
        var ids = linkIds.ToList();
        return (await HoldingAsync(l => ids.Contains(l.Id), cancellationToken)).Select(v => v.LinkId).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The links matching <paramref name="which"/> that hold now, with their order's end counted.</summary>
    private async Task<List<ValidShareLink>> HoldingAsync(System.Linq.Expressions.Expression<Func<ShareLink, bool>> which, CancellationToken cancellationToken)
    {
        var found = await db.ShareLinks.AsNoTracking().Where(l => l.RevokedAt == null).Where(which)
            .Join(db.Orders.AsNoTracking(), l => l.OrderId, o => o.Id, (l, o) => new { Link = l, Ended = o.DeliveredAt ?? o.CancelledAt })
            .ToListAsync(cancellationToken);
        return [.. found.Select(f => Valid(f.Link, f.Ended)).OfType<ValidShareLink>()];
    }

    private ValidShareLink? Valid(ShareLink link, DateTimeOffset? ended)
    {
        var expires = ShareLink.EffectiveExpiry(link.ExpiresAt, ended, options.Value.ShareLinkAfterEnd);
        return expires > clock.GetUtcNow() ? new ValidShareLink(link.Id, link.OrderId, expires) : null;
    }
}

internal static class ShareLinkEndpoints
{
    public static void MapShareLinks(this IEndpointRouteBuilder orders)
    {
        orders.MapPost("/{id}/share-links", async (string id, ClaimsPrincipal user, IOrderQueries access, ISender sender, CancellationToken cancellationToken) =>
            {
                await access.RequireAsync(user, id, cancellationToken, OrderViewer.Customer, OrderViewer.Ops);
                var created = await sender.Send(new CreateShareLink(id, user.Id() ?? string.Empty), cancellationToken);
                return TypedResults.Created($"/api/orders/{id}/share-links/{created.Id}", created);
            })
            .RequireAuthorization(Policies.Customers)
            .RequireRateLimiting(RateLimits.OrderActions)
            .WithName("CreateShareLink")
            .WithSummary("Share the order's tracking page by a link")
            .WithDescription("The order's customer or ops make a read-only link (`/t/{token}`) that opens the tracking page "
                + "without signing in: status, the rider on the map, the ETA and the timeline, nothing personal. The token "
                + "is shown only in this answer. The link works until revoked, for at most 24 hours, and no longer than "
                + "two hours after the order is delivered or cancelled (settings `Orders:ShareLink*`).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        orders.MapGet("/{id}/share-links", async (string id, ClaimsPrincipal user, IOrderQueries access, ISender sender, CancellationToken cancellationToken) =>
            {
                await access.RequireAsync(user, id, cancellationToken, OrderViewer.Customer, OrderViewer.Ops);
                return TypedResults.Ok(await sender.Send(new ListShareLinks(id), cancellationToken));
            })
            .RequireAuthorization(Policies.Customers)
            .WithName("ListShareLinks")
            .WithSummary("List the order's share links")
            .WithDescription("Every link made for the order, working or not, oldest first; tokens are not kept, so not shown.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapDelete("/{id}/share-links/{linkId}", async (string id, string linkId, ClaimsPrincipal user, IOrderQueries access, ISender sender, CancellationToken cancellationToken) =>
            {
                await access.RequireAsync(user, id, cancellationToken, OrderViewer.Customer, OrderViewer.Ops);
                await sender.Send(new RevokeShareLink(id, linkId, user.Id() ?? string.Empty), cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Customers)
            .WithName("RevokeShareLink")
            .WithSummary("Revoke a share link")
            .WithDescription("The link stops working at once: its page answers 404, and pages open on it lose their live "
                + "connection within a second. Revoking a revoked link changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary><c>GET /api/share</c>: the order a share link shows, for its page.</summary>
    public static void MapSharedOrder(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/share", async (ClaimsPrincipal user, ISender sender, CancellationToken cancellationToken) =>
            {
                var orderId = user.FindFirstValue(ClaimNames.OrderId) ?? throw new ForbiddenException("Only a share link shows a shared order.");
                var expires = DateTimeOffset.Parse(user.FindFirstValue(ClaimNames.ShareLinkExpiresAt)!, System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Ok(await sender.Send(new GetSharedOrder(orderId, expires), cancellationToken));
            })
            .RequireAuthorization(Policies.ShareViewers)
            .WithTags("Share links")
            .WithName("GetSharedOrder")
            .WithSummary("The order a share link shows")
            .WithDescription("Called with the link's token as the bearer token (`Authorization: Bearer xts_…`): the order's "
                + "id, the destination and warehouse as places on the map, and when the link stops working. The live "
                + "state, the timeline and the hub's `SubscribeOrder` take the same token, for this order only.");
}
