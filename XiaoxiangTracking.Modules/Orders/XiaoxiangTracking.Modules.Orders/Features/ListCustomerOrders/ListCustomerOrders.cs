using FluentValidation;
using XiaoxiangTracking.Modules.Shared.Validation;
using System.Security.Claims;
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

namespace XiaoxiangTracking.Modules.Orders.Features.ListCustomerOrders;

internal sealed record ListCustomerOrders(string CustomerId, int Page, int? PageSize) : IQuery<OrderPage>;

/// <summary>One page of a customer's orders, newest first.</summary>
/// <param name="Items">The orders on this page.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Orders per page (capped).</param>
/// <param name="TotalCount">How many orders the customer has.</param>
internal sealed record OrderPage(IReadOnlyList<OrderSummary> Items, int Page, int PageSize, int TotalCount);

/// <summary>An order in a list.</summary>
/// <param name="Id">32-character order id.</param>
/// <param name="Status">Status code 1–5.</param>
/// <param name="StatusName">The status code's name.</param>
/// <param name="TotalAmount">Order total.</param>
/// <param name="LineCount">Number of lines.</param>
/// <param name="PromisedDeliveryAt">Promised delivery time.</param>
/// <param name="CreatedAt">When it was placed.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Version">The order's version.</param>
internal sealed record OrderSummary(
    string Id,
    OrderStatus Status,
    string StatusName,
    decimal TotalAmount,
    int LineCount,
    DateTimeOffset PromisedDeliveryAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

internal sealed class ListCustomerOrdersValidator : AbstractValidator<ListCustomerOrders>
{
    public ListCustomerOrdersValidator()
    {
        RuleFor(q => q.CustomerId).IsPartyId();
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).GreaterThanOrEqualTo(1).When(q => q.PageSize is not null);
    }
}

internal sealed class ListCustomerOrdersHandler(OrdersDbContext db, IOptions<OrdersOptions> options)
    : IQueryHandler<ListCustomerOrders, OrderPage>
{
    public async ValueTask<OrderPage> Handle(ListCustomerOrders query, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var pageSize = Math.Min(query.PageSize ?? settings.DefaultPageSize, settings.MaxPageSize);
        var mine = db.Orders.AsNoTracking().Where(o => o.CustomerId == query.CustomerId);
        var total = await mine.CountAsync(cancellationToken);
        var items = await mine
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .Skip((query.Page - 1) * pageSize)
            .Take(pageSize)
            .Select(o => new OrderSummary(o.Id, o.Status, o.Status.ToString(), o.TotalAmount, o.Lines.Count,
                o.PromisedDeliveryAt, o.CreatedAt, o.UpdatedAt, o.Version))
            .ToListAsync(cancellationToken);
        return new OrderPage(items, query.Page, pageSize, total);
    }
}

internal static class ListCustomerOrdersEndpoint
{
    public static void MapListCustomerOrders(this IEndpointRouteBuilder orders) =>
        orders.MapGet("/", async (
                string? customerId,
                int? page,
                int? pageSize,
                ClaimsPrincipal user,
                ISender sender,
                CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(
                    new ListCustomerOrders(user.ActingAs(customerId, Roles.Customer, "list orders"), page ?? 1, pageSize), cancellationToken)))
            .RequireAuthorization(Policies.Customers)
            .RequireRateLimiting(RateLimits.OrderActions)
            .WithName("ListCustomerOrders")
            .WithSummary("List a customer's orders, newest first")
            .WithDescription("Paged; page sizes above the configured maximum (default 100) are capped to it.")
            .ProducesValidationProblem();
}
