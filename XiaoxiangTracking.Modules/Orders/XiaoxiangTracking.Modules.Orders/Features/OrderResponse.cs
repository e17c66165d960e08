using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Domain;

namespace XiaoxiangTracking.Modules.Orders.Features;

/// <summary>
/// An order as the API returns it to the caller: customers do not see the rider's id or the picking task, riders do
/// not see the customer's id, warehouse staff do not see the recipient's phone; ops see everything.
/// </summary>
/// <param name="Id">32-character order id.</param>
/// <param name="CustomerId">The customer who placed it (not shown to riders).</param>
/// <param name="Status">Status code: 1 PendingPayment, 2 Paid, 3 Delivering, 4 Completed, 5 Cancelled.</param>
/// <param name="StatusName">The status code's name.</param>
/// <param name="Lines">The ordered products.</param>
/// <param name="TotalAmount">Sum of the lines, 2 decimals.</param>
/// <param name="DeliveryAddress">Where it is delivered.</param>
/// <param name="Warehouse">The warehouse that picks it.</param>
/// <param name="PromisedDeliveryAt">When delivery was promised.</param>
/// <param name="RiderId">The rider delivering it, from status 3 (not shown to customers).</param>
/// <param name="PickingTask">The warehouse's picking task, from status 2 (not shown to customers).</param>
/// <param name="CancellationReason">Why it was cancelled, at status 5.</param>
/// <param name="CreatedAt">When it was placed.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="OrderVersion">The order's own version: one more with every change of the order (not its live tracking's <c>trackingVersion</c>).</param>
internal sealed record OrderResponse(
    string Id,
    string? CustomerId,
    OrderStatus Status,
    string StatusName,
    IReadOnlyList<OrderLineResponse> Lines,
    decimal TotalAmount,
    DeliveryAddressResponse DeliveryAddress,
    WarehouseResponse Warehouse,
    DateTimeOffset PromisedDeliveryAt,
    string? RiderId,
    PickingTaskResponse? PickingTask,
    string? CancellationReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long OrderVersion);

/// <summary>One ordered product.</summary>
/// <param name="Sku">Stock-keeping unit.</param>
/// <param name="Name">Product name.</param>
/// <param name="Quantity">Units ordered.</param>
/// <param name="UnitPrice">Price per unit.</param>
/// <param name="LineTotal">Quantity × unit price.</param>
internal sealed record OrderLineResponse(string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);

/// <summary>Delivery address.</summary>
/// <param name="Text">Street address.</param>
/// <param name="Latitude">WGS 84 latitude.</param>
/// <param name="Longitude">WGS 84 longitude.</param>
/// <param name="RecipientName">Who receives it.</param>
/// <param name="RecipientPhone">The recipient's phone (not shown to warehouse staff).</param>
internal sealed record DeliveryAddressResponse(string Text, double Latitude, double Longitude, string? RecipientName, string? RecipientPhone);

/// <summary>The picking warehouse.</summary>
/// <param name="Id">Warehouse id.</param>
/// <param name="Latitude">WGS 84 latitude.</param>
/// <param name="Longitude">WGS 84 longitude.</param>
internal sealed record WarehouseResponse(string Id, double Latitude, double Longitude);

/// <summary>The warehouse's picking task.</summary>
/// <param name="Id">Task id.</param>
/// <param name="Status">Pending, Completed or Cancelled.</param>
/// <param name="CreatedAt">When it was created (with the payment).</param>
/// <param name="FinishedAt">When it was completed or cancelled.</param>
internal sealed record PickingTaskResponse(string Id, string Status, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt);

internal static class OrderResponseMapping
{
    public static OrderResponse ToResponse(this Order order, OrderViewer viewer) => new(
        order.Id,
        viewer == OrderViewer.Rider ? null : order.CustomerId,
        order.Status,
        order.Status.ToString(),
        [.. order.Lines.Select(l => new OrderLineResponse(l.Sku, l.Name, l.Quantity, l.UnitPrice, l.LineTotal))],
        order.TotalAmount,
        new DeliveryAddressResponse(
            order.DeliveryAddress.Text,
            order.DeliveryAddress.Location.Latitude,
            order.DeliveryAddress.Location.Longitude,
            order.DeliveryAddress.RecipientName,
            viewer == OrderViewer.Warehouse ? null : order.DeliveryAddress.RecipientPhone),
        new WarehouseResponse(order.WarehouseId, order.WarehouseLocation.Latitude, order.WarehouseLocation.Longitude),
        order.PromisedDeliveryAt,
        viewer == OrderViewer.Customer ? null : order.RiderId,
        viewer != OrderViewer.Customer && order.PickingTask is { } task
            ? new PickingTaskResponse(task.Id, task.Status.ToString(), task.CreatedAt, task.FinishedAt)
            : null,
        order.CancellationReason,
        order.CreatedAt,
        order.UpdatedAt,
        order.Version);
}
