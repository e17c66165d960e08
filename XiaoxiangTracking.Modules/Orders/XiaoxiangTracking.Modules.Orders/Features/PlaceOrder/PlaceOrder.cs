using System.ComponentModel.DataAnnotations;
using FluentValidation;
using XiaoxiangTracking.Modules.Shared.Validation;
using Mediator;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Domain;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Orders.Settings;
using XiaoxiangTracking.Modules.Shared.Domain;

namespace XiaoxiangTracking.Modules.Orders.Features.PlaceOrder;

/// <summary>A new order.</summary>
internal sealed record PlaceOrder : ICommand<OrderResponse>
{
    /// <summary>The customer the order is for (up to 32 characters): ops only; a customer's order is always their own, so they leave it out.</summary>
    /// <example>c20261125000000000000000000000001</example>
    public string? CustomerId { get; init; }

    /// <summary>The products, 1 to 100 lines.</summary>
    [Required]
    public IReadOnlyList<OrderLineRequest> Lines { get; init; } = null!;

    /// <summary>Where to deliver.</summary>
    [Required]
    public DeliveryAddressRequest DeliveryAddress { get; init; } = null!;

    /// <summary>The warehouse that picks the order.</summary>
    [Required]
    public WarehouseRequest Warehouse { get; init; } = null!;

    /// <summary>Promised delivery time; defaults to 30 minutes after placing.</summary>
    /// <example>2026-11-25T10:30:00+08:00</example>
    public DateTimeOffset? PromisedDeliveryAt { get; init; }
}

/// <summary>One product to order.</summary>
internal sealed record OrderLineRequest
{
    /// <summary>Stock-keeping unit.</summary>
    /// <example>VEG-00123</example>
    [Required]
    public string Sku { get; init; } = null!;

    /// <summary>Product name as shown to the customer.</summary>
    /// <example>有机菠菜 300g</example>
    [Required]
    public string Name { get; init; } = null!;

    /// <summary>Units, 1 to 999.</summary>
    /// <example>2</example>
    [Required]
    public int? Quantity { get; init; }

    /// <summary>Price per unit in CNY, at most 2 decimals.</summary>
    /// <example>6.50</example>
    [Required]
    public decimal? UnitPrice { get; init; }
}

/// <summary>A delivery address with its coordinates.</summary>
internal sealed record DeliveryAddressRequest
{
    /// <summary>Street address, up to 255 characters.</summary>
    /// <example>上海市浦东新区世纪大道100号 12楼</example>
    [Required]
    public string Text { get; init; } = null!;

    /// <summary>WGS 84 latitude.</summary>
    /// <example>31.2304</example>
    [Required]
    public double? Latitude { get; init; }

    /// <summary>WGS 84 longitude.</summary>
    /// <example>121.4737</example>
    [Required]
    public double? Longitude { get; init; }

    /// <summary>Who receives the order.</summary>
    /// <example>王女士</example>
    public string? RecipientName { get; init; }

    /// <summary>The recipient's phone number.</summary>
    /// <example>+86 138 0000 0000</example>
    public string? RecipientPhone { get; init; }
}

/// <summary>The picking warehouse.</summary>
internal sealed record WarehouseRequest
{
    /// <summary>Warehouse id.</summary>
    /// <example>wh-pudong-01</example>
    [Required]
    public string Id { get; init; } = null!;

    /// <summary>WGS 84 latitude.</summary>
    /// <example>31.2200</example>
    [Required]
    public double? Latitude { get; init; }

    /// <summary>WGS 84 longitude.</summary>
    /// <example>121.5400</example>
    [Required]
    public double? Longitude { get; init; }
}

internal sealed class PlaceOrderValidator : AbstractValidator<PlaceOrder>
{
    public PlaceOrderValidator(IOptions<OrdersOptions> options, TimeProvider clock)
    {
        var settings = options.Value;
        RuleFor(o => o.CustomerId!).IsPartyId();
        RuleFor(o => o.Lines).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(lines => lines.Count <= settings.MaxLinesPerOrder)
            .WithMessage($"An order has at most {settings.MaxLinesPerOrder} lines.");
        RuleForEach(o => o.Lines).NotNull().ChildRules(line =>
        {
            line.RuleFor(l => l.Sku).NotEmpty().MaximumLength(64);
            line.RuleFor(l => l.Name).NotEmpty().MaximumLength(200);
            line.RuleFor(l => l.Quantity).InclusiveBetween(1, 999);
            line.RuleFor(l => l.UnitPrice).GreaterThan(0).LessThanOrEqualTo(99_999.99m).PrecisionScale(10, 2, true);
        });
        RuleFor(o => o.Lines)
            .Must(lines => lines.Where(l => l is not null).Sum(l => l.Quantity * l.UnitPrice) <= 99_999_999.99m)
            .When(o => o.Lines is not null)
            .WithMessage("The order total must not exceed 99,999,999.99.");
        RuleFor(o => o.DeliveryAddress).NotNull().ChildRules(address =>
        {
            address.RuleFor(a => a.Text).NotEmpty().MaximumLength(255);
            address.RuleFor(a => a.Latitude).IsLatitude();
            address.RuleFor(a => a.Longitude).IsLongitude();
            address.RuleFor(a => a).Must(a => !(a.Latitude == 0 && a.Longitude == 0))
                .OverridePropertyName("latitude").WithMessage("(0, 0) is not a delivery location.");
            address.RuleFor(a => a.RecipientName).MaximumLength(50);
            address.RuleFor(a => a.RecipientPhone).MaximumLength(20).Matches(@"^\+?[0-9 \-]{5,20}\z")
                .When(a => a.RecipientPhone is not null);
        });
        RuleFor(o => o.Warehouse).NotNull().ChildRules(warehouse =>
        {
            warehouse.RuleFor(w => w.Id).IsPartyId();
            warehouse.RuleFor(w => w.Latitude).IsLatitude();
            warehouse.RuleFor(w => w.Longitude).IsLongitude();
            warehouse.RuleFor(w => w).Must(w => !(w.Latitude == 0 && w.Longitude == 0))
                .OverridePropertyName("latitude").WithMessage("(0, 0) is not a warehouse location.");
        });
        RuleFor(o => o.PromisedDeliveryAt)
            .Must(at => at > clock.GetUtcNow() && at <= clock.GetUtcNow() + settings.MaxDeliveryPromise)
            .When(o => o.PromisedDeliveryAt is not null)
            .WithMessage($"'Promised Delivery At' must be in the future and at most {settings.MaxDeliveryPromise} ahead.");
    }
}

internal sealed class PlaceOrderHandler(OrdersDbContext db, IOptions<OrdersOptions> options, TimeProvider clock)
    : ICommandHandler<PlaceOrder, OrderResponse>
{
    public async ValueTask<OrderResponse> Handle(PlaceOrder command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var address = command.DeliveryAddress;
        var order = Order.Place(
            command.CustomerId!,
            command.Lines.Select(l => (l.Sku, l.Name, l.Quantity!.Value, l.UnitPrice!.Value)),
            new DeliveryAddress(address.Text, new GeoCoordinate(address.Latitude!.Value, address.Longitude!.Value),
                address.RecipientName, address.RecipientPhone),
            command.Warehouse.Id,
            new GeoCoordinate(command.Warehouse.Latitude!.Value, command.Warehouse.Longitude!.Value),
            command.PromisedDeliveryAt?.ToUniversalTime() ?? now + options.Value.DefaultDeliveryPromise,
            now);
        db.Orders.Add(order);
        await db.SaveChangesAsync(cancellationToken);
        // A new order has no rider or picking task yet, so it looks the same to its customer and to ops.
        return order.ToResponse(OrderViewer.Customer);
    }
}
