using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace XiaoxiangTracking.Modules.Shared.Outbox;

public static class OutboxRegistration
{
    /// <summary>
    /// Runs a dispatcher for <typeparamref name="TContext"/>'s outbox and allows the given notification types in it;
    /// every module context's save writes its aggregates' notifications to its outbox.
    /// </summary>
    public static IServiceCollection AddModuleOutbox<TContext>(this IServiceCollection services, IConfiguration configuration, params Type[] notificationTypes)
        where TContext : DbContext
    {
        services.AddOutboxInfrastructure(configuration);
        var registry = RegistryOf(services);
        foreach (var type in notificationTypes)
        {
            registry.Add(type);
        }

        services.AddHostedService<OutboxDispatcher<TContext>>();
        return services;
    }

    private static IServiceCollection AddOutboxInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(s => s.ServiceType == typeof(OutboxSignal)))
        {
            return services;
        }

        services.AddValidatedOptions<OutboxOptions>(configuration, OutboxOptions.SectionName);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxInterceptor>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<OutboxInterceptor>());
        services.TryAddSingleton<Observability.ServiceMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        RegistryOf(services);
        return services;
    }

    private static NotificationTypeRegistry RegistryOf(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(s => s.ServiceType == typeof(NotificationTypeRegistry))?.ImplementationInstance;
        if (existing is NotificationTypeRegistry registry)
        {
            return registry;
        }

        registry = new NotificationTypeRegistry();
        services.AddSingleton(registry);
        return registry;
    }
}
