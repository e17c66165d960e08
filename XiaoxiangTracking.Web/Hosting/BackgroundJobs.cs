using System.ComponentModel.DataAnnotations;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.SqlServer;
using Hangfire.States;
using XiaoxiangTracking.Modules.Shared.Observability;
using XiaoxiangTracking.Modules.Shared;
using XiaoxiangTracking.Modules.Shared.Persistence;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Web.Hosting;

/// <summary>Background job processing (bound from <c>Jobs</c>).</summary>
internal sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Concurrent job workers in this process (default 5).</summary>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = 5;

    /// <summary>How often scheduled jobs (retries with back-off) are checked for being due (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Hangfire with its storage chosen by the same setting as the modules' database: in memory for the embedded default
/// (jobs do not outlive the process, which holds their data anyway), SQL Server in production in its own schema
/// <c>hangfire</c>.
/// </summary>
internal static class BackgroundJobs
{
    public static IHostApplicationBuilder AddBackgroundJobs(this IHostApplicationBuilder builder)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddValidatedOptions<JobsOptions>(builder.Configuration, JobsOptions.SectionName);
        var jobs = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        // This host's own storage and activator, not Hangfire's process-wide defaults: every Hangfire service resolves
        // them from the container, so jobs are stored, and run, only by the host that enqueued them.
        builder.Services.AddSingleton<JobStorage>(services =>
        {
            // Hangfire's logging is process-wide and set by its configuration: apply it before the storage takes loggers.
            services.GetRequiredService<IGlobalConfiguration>();
            return CreateStorage(database);
        });
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        // This host's job filters: Hangfire's global ones plus the failure counter of this host's metrics.
        builder.Services.AddSingleton<IJobFilterProvider, HostJobFilters>();
        builder.Services.AddHangfire((services, hangfire) => hangfire.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(services.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddHangfireServer(server =>
        {
            server.WorkerCount = jobs.WorkerCount;
            server.SchedulePollingInterval = jobs.SchedulePollingInterval;
        });
        if (database.Provider == DatabaseProvider.SqlServer)
        {
            builder.Services.AddHealthChecks().AddCheck<HangfireSchemaHealthCheck>("jobs-schema", tags: ["ready"]);
        }

        return builder;
    }

    private static JobStorage CreateStorage(DatabaseOptions database) => database.Provider == DatabaseProvider.SqlServer
        ? new SqlServerStorage(database.SqlServerConnectionString, new SqlServerStorageOptions
        {
            SchemaName = SchemaScripts.HangfireSchema,
            PrepareSchemaIfNecessary = database.ApplyMigrationsAtStartup,
        })
        : new InMemoryStorage();

    /// <summary>
    /// The Hangfire dashboard at <c>/hangfire</c>, for ops (their bearer token, usually added by the sign-in proxy in
    /// front of it). In Development, where a browser has no such proxy, it answers requests from this machine instead.
    /// </summary>
    public static WebApplication UseJobsDashboard(this WebApplication app)
    {
        var development = app.Environment.IsDevelopment();
        var dashboard = app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = development ? [new Hangfire.Dashboard.LocalRequestsOnlyAuthorizationFilter()] : [],
            DashboardTitle = "Xiaoxiang Tracking jobs",
        }, app.Services.GetRequiredService<JobStorage>());
        if (development)
        {
            dashboard.AllowAnonymous();
        }
        else
        {
            dashboard.RequireAuthorization(Policies.Ops);
        }

        return app;
    }
}

/// <summary>
/// Hangfire's log output through the host's logging. Hangfire keeps one log provider per process; should it outlive the
/// host whose logging it writes to (several hosts in one process, one stopping), it goes quiet instead of failing.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggers) : Hangfire.Logging.ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggers);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return new Guarded(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new Guarded(null);
        }
    }

    private sealed class Guarded(Hangfire.Logging.ILog? inner) : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner?.Log(logLevel, messageFunc!, exception!) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}

/// <summary>Hangfire's global filters, and this host's own: every failed execution counted in its metrics.</summary>
internal sealed class HostJobFilters(ServiceMetrics metrics) : IJobFilterProvider
{
    private readonly JobFilter _failures = new(new JobFailureCounter(metrics), JobFilterScope.Global, null);

    public IEnumerable<JobFilter> GetFilters(Job job) => JobFilterProviders.Providers.GetFilters(job).Prepend(_failures);

    /// <summary>
    /// Sees the Failed state before automatic retry turns it into a retry (it comes first among the filters, which run
    /// in the provider's order), so each failed attempt counts. A job's series exists, at 0, from its first run, so a
    /// rate or an alert on it has a sample before the first failure.
    /// </summary>
    private sealed class JobFailureCounter(ServiceMetrics metrics) : JobFilterAttribute, IElectStateFilter, IServerFilter
    {
        public void OnStateElection(ElectStateContext context)
        {
            if (context.CandidateState is FailedState && context.BackgroundJob?.Job is { } job)
            {
                Failures(job).Inc();
            }
        }

        public void OnPerforming(PerformingContext context)
        {
            if (context.BackgroundJob?.Job is { } job)
            {
                Failures(job).Publish();
            }
        }

        public void OnPerformed(PerformedContext context)
        {
        }

        private Prometheus.Counter.Child Failures(Job job) => metrics.JobFailures.WithLabels($"{job.Type.Name}.{job.Method.Name}");
    }
}

/// <summary>
/// Readiness on SQL Server: Hangfire's tables exist (created by its schema script, or at start-up when start-up
/// migration is on). Without them every job would fail while the host said it was ready.
/// </summary>
internal sealed class HangfireSchemaHealthCheck(IOptions<DatabaseOptions> options)
    : IHealthCheck
{
    /// <summary>Hangfire keeps its schema version in this one-row table; its absence means the schema script was not run.</summary>
    private const string SchemaVersionQuery = "SELECT OBJECT_ID(N'[" + SchemaScripts.HangfireSchema + "].[Schema]', N'U')";

    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqlConnection(options.Value.SqlServerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new SqlCommand(SchemaVersionQuery, connection);
        return await command.ExecuteScalarAsync(cancellationToken) is int
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(
                $"Hangfire's schema [{SchemaScripts.HangfireSchema}] is missing. Apply the schema scripts (README: Pointing it at SQL Server).");
    }
}
