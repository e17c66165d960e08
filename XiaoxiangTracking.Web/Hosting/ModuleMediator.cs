using Mediator;
using XiaoxiangTracking.Modules.Notifications;
using XiaoxiangTracking.Modules.Orders;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Validation;
using XiaoxiangTracking.Modules.Tracking;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Web.Hosting;

internal static class ModuleMediator
{
    /// <summary>
    /// The in-process mediator through which the modules talk. Its source generator runs here, in the host, and sees
    /// exactly the module and contract assemblies listed (no scanning); handlers are scoped because they use the
    /// modules' DbContexts. Every request passes the FluentValidation behaviour first.
    /// </summary>
    public static WebApplicationBuilder AddModuleMediator(this WebApplicationBuilder builder)
    {
        builder.Services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.GenerateTypesAsInternal = true;
            options.Assemblies = [typeof(OrdersModule), typeof(OrderPlaced), typeof(TrackingModule), typeof(WarehouseHandedOver), typeof(NotificationsModule)];
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
        });
        return builder;
    }
}
