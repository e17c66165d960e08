using MessagePack;
using MessagePack.Resolvers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Notifications.Fanout;
using XiaoxiangTracking.Modules.Notifications.Hub;
using XiaoxiangTracking.Modules.Notifications.Settings;
using XiaoxiangTracking.Modules.Shared;

namespace XiaoxiangTracking.Modules.Notifications;

/// <summary>The Notifications module's entry point: the SignalR tracking hub and the fan-out of live changes to it.</summary>
public static class NotificationsModule
{
    /// <summary>Registers SignalR (JSON and MessagePack), the fan-out and its heartbeat.</summary>
    public static IHostApplicationBuilder AddNotificationsModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<NotificationsOptions>(builder.Configuration, NotificationsOptions.SectionName);
        services.AddSignalR()
            .AddMessagePackProtocol(messagePack => messagePack.SerializerOptions =
                MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolverAllowPrivate.Instance)
                    .WithSecurity(MessagePackSecurity.UntrustedData));
        services.AddOptions<Microsoft.AspNetCore.SignalR.HubOptions>().Configure<IOptions<NotificationsOptions>>((hub, notifications) =>
        {
            hub.KeepAliveInterval = notifications.Value.KeepAliveInterval;
            hub.ClientTimeoutInterval = notifications.Value.ClientTimeoutInterval;
        });
        services.AddSingleton<DeltaLog>();
        services.AddSingleton<OrderDirectory>();
        services.AddSingleton<Subscribers>();
        services.AddScoped<SubscriptionAccess>();
        services.AddHostedService<FanoutMaintenance>();
        return builder;
    }

    /// <summary>Maps the hub at <c>/hubs/tracking</c> (WebSockets, Server-Sent Events and long polling).</summary>
    public static IEndpointRouteBuilder MapNotificationsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<TrackingHub>("/hubs/tracking");
        return endpoints;
    }
}
