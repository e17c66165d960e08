using System.ComponentModel.DataAnnotations;
using FluentValidation;
using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Idempotency;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Orders.Features.PayOrder;

/// <summary>A successful payment reported by the payment provider.</summary>
internal sealed record PayOrderRequest
{
    /// <summary>The payment provider's transaction reference.</summary>
    /// <example>wxpay-4200001234202611251234567890</example>
    [Required]
    public string PaymentReference { get; init; } = null!;

    /// <summary>Amount paid; must equal the order total.</summary>
    /// <example>13.00</example>
    [Required]
    public decimal? Amount { get; init; }
}

internal sealed record PayOrder(string OrderId, string PaymentReference, decimal Amount, OrderViewer Viewer) : ICommand<OrderResponse>;

internal sealed class PayOrderValidator : AbstractValidator<PayOrder>
{
    public PayOrderValidator()
    {
        RuleFor(p => p.PaymentReference).NotEmpty().MaximumLength(64);
        RuleFor(p => p.Amount).GreaterThan(0).PrecisionScale(10, 2, true);
    }
}

internal sealed class PayOrderHandler(OrdersDbContext db, TimeProvider clock) : ICommandHandler<PayOrder, OrderResponse>
{
    public ValueTask<OrderResponse> Handle(PayOrder command, CancellationToken cancellationToken) =>
        OrderTransition.ApplyAsync(db, command.OrderId, command.Viewer,
            order => order.Pay(command.PaymentReference, command.Amount, clock.GetUtcNow()), cancellationToken);
}

internal static class PayOrderEndpoint
{
    public static void MapPayOrder(this IEndpointRouteBuilder orders) =>
        orders.MapPost("/{id}/pay", async (string id, PayOrderRequest request, ClaimsPrincipal user, IOrderQueries access, ISender sender, CancellationToken cancellationToken) =>
            {
                var viewer = (await access.RequireAsync(user, id, cancellationToken, OrderViewer.Customer, OrderViewer.Ops)).Viewer;
                return TypedResults.Ok(await sender.Send(new PayOrder(id, request.PaymentReference, request.Amount!.Value, viewer), cancellationToken));
            })
            .RequireAuthorization(Policies.Customers)
            .RequireRateLimiting(RateLimits.OrderActions)
            .WithName("PayOrder")
            .WithSummary("Record a successful payment (1 PendingPayment → 2 Paid)")
            .WithDescription("Creates the warehouse's picking task. The amount must equal the order total. "
                + "Send an Idempotency-Key to make retries safe.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithIdempotency<OrdersDbContext>();
}
