using Prometheus;
using XiaoxiangTracking.Modules.Shared.Observability;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using XiaoxiangTracking.Modules.Orders;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking;
using XiaoxiangTracking.Web.Errors;
using XiaoxiangTracking.Web.OpenApi;

namespace XiaoxiangTracking.Web.Hosting;

internal static class ApiDefaults
{
    private const string BearerScheme = "Bearer";
    private const string SwaggerPath = "/swagger";

    /// <summary>Problem details for every error, JSON conventions, Swagger and health checks.</summary>
    public static WebApplicationBuilder AddApiDefaults(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        AnyAcceptProblemWriter.Replace(services);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // A body may carry only the fields its request defines: a field the caller may not set (an operator, someone
        // else's id) is refused, never silently dropped or bound.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow);
        // Malformed bodies throw, so the exception handler answers them as problem+json like any other error.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        // Field names in validation messages as the client wrote them: 'customerId', not 'Customer Id'.
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);

        services.AddHealthChecks();
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Xiaoxiang Tracking API",
                Version = "v1",
                Description = "Real-time order tracking for 小象买菜: orders, warehouse picking, rider delivery. "
                    + "Order status codes: 1 PendingPayment, 2 Paid, 3 Delivering, 4 Completed, 5 Cancelled. "
                    + "Rider positions are committed before the reply (group commit); 503 + Retry-After when saturated.",
            });
            foreach (var assembly in new[] { typeof(OrdersModule).Assembly, typeof(OrderPlaced).Assembly, typeof(TrackingModule).Assembly })
            {
                var xml = Path.Combine(AppContext.BaseDirectory, $"{assembly.GetName().Name}.xml");
                if (File.Exists(xml))
                {
                    options.IncludeXmlComments(xml);
                }
            }

            options.SupportNonNullableReferenceTypes();
            options.CustomSchemaIds(type => type.Name);
            options.OperationFilter<IdempotencyKeyHeaderFilter>();
            options.OperationFilter<ProblemResponsesFilter>();
            options.OperationFilter<OperationExamples>();
            options.MapGeoJson();
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from the identity provider (Development: POST /api/dev/tokens).",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });
        });
        return builder;
    }

    /// <summary>First of all: HTTP metrics, then every error from here on, thrown or a bare status, answered as problem+json.</summary>
    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        // Outermost, so each request is counted with the status it finally got: rate, latency and status by route.
        // No exemplars: the service exports no traces for a trace id to lead to, and reading one cost every request.
        app.UseHttpMetrics(options =>
        {
            options.SetMetricFactory(Metrics.WithCustomRegistry(app.Services.GetRequiredService<ServiceMetrics>().Registry));
            options.ConfigureMeasurements(measurement => measurement.ExemplarPredicate = _ => false);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        // The document and its UI live under /swagger: only requests there pass through their middleware.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(SwaggerPath), swagger => swagger
            .UseSwagger()
            .UseSwaggerUI(options =>
            {
                options.SwaggerEndpoint($"{SwaggerPath}/v1/swagger.json", "Xiaoxiang Tracking API v1");
                options.DocumentTitle = "Xiaoxiang Tracking API";
            }));
        // Probes come from the orchestrator, without a token.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = WriteReadinessAsync,
        }).AllowAnonymous();
        // Prometheus scrapes without a token; keep /metrics off the public ingress (deploy/, docs/operations.md).
        app.MapMetrics("/metrics", app.Services.GetRequiredService<ServiceMetrics>().Registry).AllowAnonymous();
        return app;
    }

    /// <summary>Readiness as JSON: the overall status and each check's, with why it is not ready (a missing migration, say).</summary>
    private static Task WriteReadinessAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
}
