namespace XiaoxiangTracking.Modules.Orders.Contracts;

/// <summary>Who an order belongs to and where it stands.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="CustomerId">The customer who placed it.</param>
/// <param name="Status">Its status.</param>
/// <param name="Version">Its version.</param>
public sealed record OrderSummary(string OrderId, string CustomerId, OrderStatus Status, long Version);

/// <summary>Reads of orders for other modules.</summary>
public interface IOrderQueries
{
    /// <summary>The order, as the Orders module has it now (before other modules hear of it); null when unknown.</summary>
    Task<OrderSummary?> FindAsync(string orderId, CancellationToken cancellationToken);
}
