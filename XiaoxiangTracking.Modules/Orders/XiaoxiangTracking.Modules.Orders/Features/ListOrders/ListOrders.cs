using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Orders.Settings;
using XiaoxiangTracking.Modules.Shared.Security;
using XiaoxiangTracking.Modules.Shared.Validation;

namespace XiaoxiangTracking.Modules.Orders.Features.ListOrders;

/// <summary>
/// Orders matching every filter given, newest first, a page at a time. <see cref="CustomerId"/> is null only for ops
/// searching across customers.
/// </summary>
internal sealed record ListOrders(
    string? CustomerId,
    IReadOnlyList<OrderStatus> Statuses,
    string? WarehouseId,
    string? RiderId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int? PageSize,
    string? After,
    OrderViewer Viewer) : IQuery<OrderPage>;

/// <summary>One page of orders, newest first.</summary>
/// <param name="Items">The orders on this page.</param>
/// <param name="PageSize">Orders per page (capped).</param>
/// <param name="Next">Pass as <c>after</c> to get the next page; null on the last page.</param>
internal sealed record OrderPage(IReadOnlyList<OrderListItem> Items, int PageSize, string? Next);

/// <summary>An order in a list.</summary>
/// <param name="Id">32-character order id.</param>
/// <param name="CustomerId">The customer who placed it.</param>
/// <param name="Status">Status code 1–5.</param>
/// <param name="StatusName">The status code's name.</param>
/// <param name="WarehouseId">The warehouse that picks it.</param>
/// <param name="RiderId">The rider delivering it, from status 3 (not shown to customers).</param>
/// <param name="TotalAmount">Order total.</param>
/// <param name="LineCount">Number of lines.</param>
/// <param name="PromisedDeliveryAt">Promised delivery time.</param>
/// <param name="CreatedAt">When it was placed.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="OrderVersion">The order's own version (as in <c>GET /api/orders/{id}</c>).</param>
internal sealed record OrderListItem(
    string Id,
    string CustomerId,
    OrderStatus Status,
    string StatusName,
    string WarehouseId,
    string? RiderId,
    decimal TotalAmount,
    int LineCount,
    DateTimeOffset PromisedDeliveryAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long OrderVersion);

/// <summary>
/// Where a page ends: the last order's placing time and id, the list's sort key. Opaque to clients (base64url), so
/// the next page starts exactly after it however many orders are placed meanwhile.
/// </summary>
internal readonly record struct OrderCursor(DateTimeOffset CreatedAt, string Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{Id}"));

    public static bool TryDecode(string? text, out OrderCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 100 || !Base64Url.IsValid(text))
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split('.');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || parts[1].Length != 32)
        {
            return false;
        }

        cursor = new OrderCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1]);
        return true;
    }
}

internal sealed class ListOrdersValidator : AbstractValidator<ListOrders>
{
    public ListOrdersValidator()
    {
        RuleFor(q => q.CustomerId!).IsPartyId().When(q => q.CustomerId is not null);
        RuleFor(q => q.WarehouseId!).IsPartyId().When(q => q.WarehouseId is not null);
        RuleFor(q => q.RiderId!).IsPartyId().When(q => q.RiderId is not null);
        RuleFor(q => q.Statuses).Must(s => s.All(Enum.IsDefined)).OverridePropertyName("status")
            .WithMessage("'status' must be a status code 1–5.");
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null)
            .WithMessage("'to' must be after 'from'.");
        RuleFor(q => q.PageSize).GreaterThanOrEqualTo(1).When(q => q.PageSize is not null);
        RuleFor(q => q.After).Must(a => OrderCursor.TryDecode(a, out _)).When(q => q.After is not null)
            .WithMessage("'after' must be the 'next' of an earlier page.");
    }
}

internal sealed class ListOrdersHandler(OrdersDbContext db, IOptions<OrdersOptions> options)
    : IQueryHandler<ListOrders, OrderPage>
{
    public async ValueTask<OrderPage> Handle(ListOrders query, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var pageSize = Math.Min(query.PageSize ?? settings.DefaultPageSize, settings.MaxPageSize);
        var orders = db.Orders.AsNoTracking();
        if (query.CustomerId is { } customerId)
        {
            orders = orders.Where(o => o.CustomerId == customerId);
        }

        if (query.Statuses.Count > 0)
        {
            var statuses = query.Statuses.Distinct().ToList();
            orders = orders.Where(o => statuses.Contains(o.Status));
        }

        if (query.WarehouseId is { } warehouseId)
        {
            orders = orders.Where(o => o.WarehouseId == warehouseId);
        }

        if (query.RiderId is { } riderId)
        {
            orders = orders.Where(o => o.RiderId == riderId);
        }

        if (query.From is { } from)
        {
            orders = orders.Where(o => o.CreatedAt >= from);
        }

        if (query.To is { } to)
        {
            orders = orders.Where(o => o.CreatedAt < to);
        }

        if (OrderCursor.TryDecode(query.After, out var after))
        {
            orders = orders.Where(o => o.CreatedAt < after.CreatedAt
                || (o.CreatedAt == after.CreatedAt && string.Compare(o.Id, after.Id) < 0));
        }

        var rows = await orders
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .Take(pageSize + 1)
            .Select(o => new OrderListItem(o.Id, o.CustomerId, o.Status, o.Status.ToString(), o.WarehouseId,
                query.Viewer == OrderViewer.Customer ? null : o.RiderId,
                o.TotalAmount, o.Lines.Count, o.PromisedDeliveryAt, o.CreatedAt, o.UpdatedAt, o.Version))
            .ToListAsync(cancellationToken);
        var items = rows.Take(pageSize).ToList();
        var next = rows.Count > pageSize ? new OrderCursor(items[^1].CreatedAt, items[^1].Id).Encode() : null;
        return new OrderPage(items, pageSize, next);
    }
}

internal static class ListOrdersEndpoint
{
    public static void MapListOrders(this IEndpointRouteBuilder orders) =>
        orders.MapGet("/", async (
                string? customerId,
                OrderStatus[]? status,
                string? warehouseId,
                string? riderId,
                DateTimeOffset? from,
                DateTimeOffset? to,
                int? pageSize,
                string? after,
                ClaimsPrincipal user,
                ISender sender,
                CancellationToken cancellationToken) =>
            {
                var (customer, viewer) = user.IsOps()
                    ? (customerId, OrderViewer.Ops)
                    : (user.ActingAs(customerId, Roles.Customer, "list orders"), OrderViewer.Customer);
                return TypedResults.Ok(await sender.Send(
                    new ListOrders(customer, status ?? [], warehouseId, riderId, from, to, pageSize, after, viewer),
                    cancellationToken));
            })
            .RequireAuthorization(Policies.Customers)
            .RequireRateLimiting(RateLimits.OrderActions)
            .WithName("ListOrders")
            .WithSummary("List orders, newest first")
            .WithDescription("A customer lists their own orders; ops search all orders. Every filter given must match: "
                + "`status` (repeat it for several codes, e.g. `status=2&status=3`), `warehouseId`, `riderId`, `customerId` "
                + "(ops), and the placing time `from` (inclusive) and `to` (exclusive). Pages follow one another by "
                + "`after`, the previous page's `next`, which stays exact while orders are placed; `next` is null on the "
                + "last page. Page sizes above the configured maximum (default 100) are capped to it.")
            .ProducesValidationProblem();
}
