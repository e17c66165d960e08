using System.Security.Claims;
using XiaoxiangTracking.Modules.Shared.Errors;

namespace XiaoxiangTracking.Modules.Orders.Contracts;

/// <summary>Who an order belongs to and where it stands.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="CustomerId">The customer who placed it.</param>
/// <param name="WarehouseId">The warehouse that picks it.</param>
/// <param name="RiderId">The rider it is assigned to, if any.</param>
/// <param name="Status">Its status.</param>
/// <param name="Version">Its version.</param>
public sealed record OrderSummary(string OrderId, string CustomerId, string WarehouseId, string? RiderId, OrderStatus Status, long Version);

/// <summary>In which capacity a caller sees an order; decides what they may do with it and which fields they see.</summary>
public enum OrderViewer
{
    /// <summary>The customer who placed it.</summary>
    Customer = 1,

    /// <summary>The rider delivering it, while it is being delivered.</summary>
    Rider = 2,

    /// <summary>Staff of the warehouse that picks it.</summary>
    Warehouse = 3,

    /// <summary>Operations staff: every order.</summary>
    Ops = 4,

    /// <summary>
    /// Someone the customer (or ops) shared a tracking link with: what the customer sees of the delivery, without
    /// anything personal — and only by the link, only that order.
    /// </summary>
    Shared = 5,
}

/// <summary>An order and the capacity in which the caller sees it.</summary>
/// <param name="Order">The order.</param>
/// <param name="Viewer">The caller's capacity.</param>
public sealed record OrderAccess(OrderSummary Order, OrderViewer Viewer);

/// <summary>Reads of orders for other modules.</summary>
public interface IOrderQueries
{
    /// <summary>
    /// The order as the caller may see it, as the Orders module has it now (before other modules hear of it): ops see
    /// every order, a warehouse its own warehouse's, a rider the one they are delivering (until it is delivered), a
    /// customer their own. Null when the order is unknown or not the caller's, which callers answer alike (404), so
    /// an id reveals nothing about orders one may not see.
    /// </summary>
    Task<OrderAccess?> FindForAsync(ClaimsPrincipal caller, string orderId, CancellationToken cancellationToken);
}

/// <summary>The access check every order-scoped endpoint and hub method makes.</summary>
public static class OrderAccessChecks
{
    /// <summary>The caller's capacity on the order when it is one of <paramref name="allowed"/>; otherwise the order is "not found".</summary>
    public static async Task<OrderAccess> RequireAsync(
        this IOrderQueries orders, ClaimsPrincipal caller, string orderId, CancellationToken cancellationToken, params OrderViewer[] allowed)
    {
        var access = await orders.FindForAsync(caller, orderId, cancellationToken);
        return access is not null && (allowed.Length == 0 || allowed.Contains(access.Viewer))
            ? access
            : throw new NotFoundException("Order", orderId);
    }
}
