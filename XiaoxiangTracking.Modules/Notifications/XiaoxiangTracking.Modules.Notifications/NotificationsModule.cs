using System.Text.Json.Serialization;
using FluentValidation;
using MessagePack;
using MessagePack.Resolvers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Notifications.Fanout;
using XiaoxiangTracking.Modules.Notifications.Hub;
using XiaoxiangTracking.Modules.Notifications.Persistence;
using XiaoxiangTracking.Modules.Notifications.Settings;
using XiaoxiangTracking.Modules.Notifications.Webhooks;
using XiaoxiangTracking.Modules.Shared;
using XiaoxiangTracking.Modules.Shared.Persistence;
using XiaoxiangTracking.Modules.Shared.ScaleOut;
using StackExchange.Redis;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Notifications;

/// <summary>The Notifications module's entry point: the SignalR tracking hub with its fan-out, and webhooks for integrators.</summary>
public static class NotificationsModule
{
    /// <summary>Registers SignalR (JSON and MessagePack), the fan-out and its heartbeat, and webhook delivery (Hangfire jobs).</summary>
    public static IHostApplicationBuilder AddNotificationsModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<NotificationsOptions>(builder.Configuration, NotificationsOptions.SectionName);
        var signalR = services.AddSignalR(hub => hub.AddFilter<HubCallLimiter>())
            // A delta carries only what changed: the rest is left out of the message rather than sent as null, which
            // takes a move from 356 bytes to 209 on the wire (and in what every client parses), for a customer on a
            // mobile link as for a map following hundreds of orders.
            .AddJsonProtocol(json => json.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)
            .AddMessagePackProtocol(messagePack => messagePack.SerializerOptions =
                MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolverAllowPrivate.Instance)
                    .WithSecurity(MessagePackSecurity.UntrustedData));
        services.AddScaleOut(builder.Configuration);
        if (ScaleOut.RedisConfiguration(builder.Configuration) is { } redisConfiguration)
        {
            // Messages to a connection, a group or everyone reach it on whichever instance holds it.
            signalR.AddStackExchangeRedis(redis =>
            {
                redis.Configuration = ScaleOut.RedisOptions(redisConfiguration);
                redis.Configuration.ChannelPrefix = RedisChannel.Literal(ScaleOut.Prefix + "hub");
            });
        }

        LocalConnections.Register(services);
        services.AddOptions<Microsoft.AspNetCore.SignalR.HubOptions>().Configure<IOptions<NotificationsOptions>>((hub, notifications) =>
        {
            hub.KeepAliveInterval = notifications.Value.KeepAliveInterval;
            hub.ClientTimeoutInterval = notifications.Value.ClientTimeoutInterval;
            hub.MaximumReceiveMessageSize = notifications.Value.MaxReceiveMessageBytes;
        });
        services.AddSingleton<HubCallLimiter>();
        services.AddSingleton<DeltaLog>();
        services.AddSingleton<OrderDirectory>();
        services.AddSingleton<Subscribers>();
        services.AddScoped<SubscriptionAccess>();
        services.AddHostedService<FanoutMaintenance>();
        services.AddSingleton<ShareLinkConnections>();
        services.AddHostedService<ShareLinkWatch>();

        services.AddValidatedOptions<WebhookOptions>(builder.Configuration, WebhookOptions.SectionName);
        services.AddModuleDbContext<NotificationsDbContext, SqliteNotificationsDbContext, SqlServerNotificationsDbContext>(
            builder.Configuration, NotificationsDbContext.Schema);
        services.AddHealthChecks().AddModuleDatabaseCheck<NotificationsDbContext>("notifications-database");
        services.AddHttpClient(WebhookSender.HttpClientName);
        services.AddScoped<WebhookSender>();
        services.AddScoped<WebhookSweep>();
        services.AddHostedService<WebhookSweepSchedule>();
        services.AddValidatorsFromAssembly(typeof(NotificationsModule).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        return builder;
    }

    /// <summary>Maps the hub at <c>/hubs/tracking</c> (WebSockets, Server-Sent Events and long polling) and <c>/api/webhooks</c>.</summary>
    public static IEndpointRouteBuilder MapNotificationsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A connection ends when its token expires; the client reconnects with a fresh one.
        endpoints.MapHub<TrackingHub>("/hubs/tracking", options => options.CloseOnAuthenticationExpiration = true)
            .RequireRateLimiting(RateLimits.HubConnect);
        endpoints.MapWebhooks();
        return endpoints;
    }
}
