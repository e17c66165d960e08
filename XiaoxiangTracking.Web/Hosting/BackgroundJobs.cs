using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.SqlServer;
using XiaoxiangTracking.Modules.Shared;
using XiaoxiangTracking.Modules.Shared.Persistence;

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
        builder.Services.AddHangfire(hangfire =>
        {
            hangfire.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (database.Provider == DatabaseProvider.SqlServer)
            {
                hangfire.UseSqlServerStorage(database.SqlServerConnectionString, new SqlServerStorageOptions
                {
                    SchemaName = "hangfire",
                    PrepareSchemaIfNecessary = database.ApplyMigrationsAtStartup,
                });
            }
            else
            {
                hangfire.UseInMemoryStorage();
            }
        });
        builder.Services.AddHangfireServer(server =>
        {
            server.WorkerCount = jobs.WorkerCount;
            server.SchedulePollingInterval = jobs.SchedulePollingInterval;
        });
        return builder;
    }

    /// <summary>
    /// The Hangfire dashboard at <c>/hangfire</c>. Callers are not authenticated yet, so it answers only requests from
    /// this machine (Hangfire's local-requests filter: the remote address is a loopback or the server's own address);
    /// behind a reverse proxy every request looks remote and is refused.
    /// </summary>
    public static WebApplication UseJobsDashboard(this WebApplication app)
    {
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new Hangfire.Dashboard.LocalRequestsOnlyAuthorizationFilter()],
            DashboardTitle = "Xiaoxiang Tracking jobs",
        });
        return app;
    }
}
