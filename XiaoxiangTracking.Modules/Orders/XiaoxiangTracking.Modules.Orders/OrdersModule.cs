using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Features.CancelOrder;
using XiaoxiangTracking.Modules.Orders.Features.ExpireUnpaidOrders;
using XiaoxiangTracking.Modules.Orders.Features.GetOrder;
using XiaoxiangTracking.Modules.Orders.Features.ListOrders;
using XiaoxiangTracking.Modules.Orders.Features.MarkOrderDelivered;
using XiaoxiangTracking.Modules.Orders.Features.MarkOrderPicked;
using XiaoxiangTracking.Modules.Orders.Features.PayOrder;
using XiaoxiangTracking.Modules.Orders.Features.PlaceOrder;
using XiaoxiangTracking.Modules.Orders.Features.ShareLinks;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Orders.Settings;
using XiaoxiangTracking.Modules.Shared;
using XiaoxiangTracking.Modules.Shared.Idempotency;
using XiaoxiangTracking.Modules.Shared.Outbox;
using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Modules.Orders;

/// <summary>The Orders module's entry point: orders, their status machine, payment and picking tasks.</summary>
public static class OrdersModule
{
    /// <summary>Registers the module's database, outbox, options and validators.</summary>
    public static IHostApplicationBuilder AddOrdersModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<OrdersOptions>(builder.Configuration, OrdersOptions.SectionName)
            .Validate(o => o.DefaultPageSize <= o.MaxPageSize, "Orders:DefaultPageSize must not exceed Orders:MaxPageSize.")
            .Validate(o => o.DefaultDeliveryPromise <= o.MaxDeliveryPromise, "Orders:DefaultDeliveryPromise must not exceed Orders:MaxDeliveryPromise.");
        services.AddModuleDbContext<OrdersDbContext, SqliteOrdersDbContext, SqlServerOrdersDbContext>(
            builder.Configuration, OrdersDbContext.Schema);
        services.AddModuleOutbox<OrdersDbContext>(
            builder.Configuration, typeof(OrderPlaced), typeof(OrderPaid), typeof(OrderPicked), typeof(OrderDelivered), typeof(OrderCancelled));
        services.AddIdempotencyKeys(builder.Configuration);
        services.AddValidatorsFromAssembly(typeof(OrdersModule).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddHealthChecks().AddModuleDatabaseCheck<OrdersDbContext>("orders-database");
        services.AddScoped<ExpireUnpaidOrders>();
        services.AddScoped<IOrderQueries, OrderQueries>();
        services.AddScoped<IShareLinks, ShareLinkStore>();
        services.AddHostedService<ExpireUnpaidOrdersSchedule>();
        return builder;
    }

    /// <summary>Maps <c>/api/orders</c>.</summary>
    public static IEndpointRouteBuilder MapOrdersEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var orders = endpoints.MapGroup("/api/orders").WithTags("Orders");
        orders.MapPlaceOrder();
        orders.MapGetOrder();
        orders.MapListOrders();
        orders.MapPayOrder();
        orders.MapCancelOrder();
        orders.MapMarkOrderPicked();
        orders.MapMarkOrderDelivered();
        orders.MapShareLinks();
        endpoints.MapSharedOrder();
        return endpoints;
    }
}
