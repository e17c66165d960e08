using FluentValidation;
using NetTopologySuite.IO.Converters;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XiaoxiangTracking.Modules.Shared;
using XiaoxiangTracking.Modules.Shared.Persistence;
using XiaoxiangTracking.Modules.Shared.ScaleOut;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using XiaoxiangTracking.Modules.Tracking.Features.Alerts;
using XiaoxiangTracking.Modules.Tracking.Features.Dispatch;
using XiaoxiangTracking.Modules.Tracking.Features.Eta;
using XiaoxiangTracking.Modules.Tracking.Features.GetRiderPosition;
using XiaoxiangTracking.Modules.Tracking.Features.ListRiders;
using XiaoxiangTracking.Modules.Tracking.Features.LiveState;
using XiaoxiangTracking.Modules.Tracking.Features.IngestPositions;
using XiaoxiangTracking.Modules.Tracking.Features.OrderTimeline;
using XiaoxiangTracking.Modules.Tracking.Features.OrderTrajectory;
using XiaoxiangTracking.Modules.Tracking.Features.Quality;
using XiaoxiangTracking.Modules.Tracking.Features.Retention;
using XiaoxiangTracking.Modules.Tracking.Features.WarehouseStages;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Shared.Outbox;
using XiaoxiangTracking.Modules.Tracking.Ingest;
using XiaoxiangTracking.Modules.Tracking.Live;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking;

/// <summary>
/// The Tracking module's entry point: rider positions (filters, durable group commit), warehouse stages, the order
/// timeline and trajectory, dispatch, and each order's live state.
/// </summary>
public static class TrackingModule
{
    /// <summary>Registers the module's database, options, validators and the group-commit writer.</summary>
    public static IHostApplicationBuilder AddTrackingModule(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<PositionFilterOptions>(builder.Configuration, PositionFilterOptions.SectionName);
        services.AddValidatedOptions<IngestOptions>(builder.Configuration, IngestOptions.SectionName);
        services.AddValidatedOptions<DispatchOptions>(builder.Configuration, DispatchOptions.SectionName);
        services.AddValidatedOptions<LiveStateOptions>(builder.Configuration, LiveStateOptions.SectionName);
        services.AddModuleDbContext<TrackingDbContext, SqliteTrackingDbContext, SqlServerTrackingDbContext>(
            builder.Configuration, TrackingDbContext.Schema);
        services.AddModuleOutbox<TrackingDbContext>(
            builder.Configuration, typeof(WarehouseHandedOver), typeof(RiderAssigned), typeof(OrderTrackingChanged), typeof(AlertRaised), typeof(AlertResolved));
        services.AddSingleton<LatestFixes>();
        services.AddScoped<OrderChangeRecorder>();
        services.AddScoped<LiveOrderStore>();
        // Before the writer: it stops after it, publishing the moves of the writer's last commits.
        services.AddSingleton<LiveMoves>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveMoves>());
        services.AddSingleton<PositionWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<PositionWriter>());
        services.AddHybridCache();
        // Its first level expires entries on the host's clock (an order leaves the cache an hour after its last change).
        services.AddOptions<MemoryCacheOptions>().Configure<TimeProvider>((memory, clock) => memory.Clock = new LiveOrderCache.Clock(clock));
        services.AddScaleOut(builder.Configuration);
        if (ScaleOut.RedisConfiguration(builder.Configuration) is { } redisConfiguration)
        {
            // HybridCache takes the distributed cache as its second level. It holds orders' live state and nothing else,
            // keyed by order id (LiveOrderCache), so the instance name says what its keys are.
            services.AddStackExchangeRedisCache(redis =>
            {
                redis.ConfigurationOptions = ScaleOut.RedisOptions(redisConfiguration);
                redis.InstanceName = LiveOrderCache.RedisPrefix;
            });
        }

        services.AddHostedService<ReceiveRelayedChanges>();
        services.AddSingleton<LiveOrderCache>();
        services.AddScoped<ILiveOrderQueries, LiveOrderQueries>();
        services.AddHostedService<LiveOrderCacheWarmer>();
        services.AddSingleton<DispatchGate>();
        services.AddScoped<NearbyRiders>();
        services.AddScoped<Dispatcher>();
        services.AddHostedService<DispatchRetryService>();
        services.AddValidatedOptions<AlertOptions>(builder.Configuration, AlertOptions.SectionName);
        services.AddScoped<AlertBook>();
        services.AddScoped<AlertScan>();
        services.AddScoped<DeliveryRules>();
        services.AddValidatedOptions<EtaOptions>(builder.Configuration, EtaOptions.SectionName);
        services.AddScoped<EtaEstimator>();
        services.AddSingleton<LearnedSpeeds>();
        services.AddSingleton<MoveEvaluationQueue>();
        services.AddHostedService<MoveEvaluator>();
        services.AddHostedService<EtaRefresh>();
        services.AddHostedService<AlertScanSchedule>();
        services.AddValidatedOptions<RetentionOptions>(builder.Configuration, RetentionOptions.SectionName);
        services.AddScoped<PositionRetention>();
        services.AddHostedService<PositionRetentionSchedule>();
        services.AddValidatorsFromAssembly(typeof(TrackingModule).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddHealthChecks().AddModuleDatabaseCheck<TrackingDbContext>("tracking-database");
        // Trajectories are GeoJSON.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new GeoJsonConverterFactory()));
        return builder;
    }

    /// <summary>Maps <c>/api/tracking</c>.</summary>
    public static IEndpointRouteBuilder MapTrackingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var tracking = endpoints.MapGroup("/api/tracking").WithTags("Tracking");
        tracking.MapIngestPositions();
        tracking.MapGetRiderPosition();
        tracking.MapListRiders();
        tracking.MapReportWarehouseStage();
        tracking.MapAssignRider();
        tracking.MapAlerts();
        endpoints.MapGetOrderTimeline();
        endpoints.MapGetOrderTrajectory();
        endpoints.MapGetLiveOrder();
        endpoints.MapGetTrackingQuality();
        return endpoints;
    }
}
