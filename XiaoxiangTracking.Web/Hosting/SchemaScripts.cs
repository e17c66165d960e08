using System.Text;
using Hangfire.SqlServer;
using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Web.Hosting;

/// <summary>
/// Everything a SQL Server database needs before the host can use it with start-up migration off: each module's
/// idempotent migrations script (orders, tracking, notifications, security) and Hangfire's schema, written by the host
/// itself (<c>dotnet XiaoxiangTracking.Web.dll schema-scripts &lt;folder&gt;</c>), so no EF tool is needed in the pipeline.
/// Every script may be run again: it applies only what the database lacks.
/// </summary>
internal static class SchemaScripts
{
    public const string Command = "schema-scripts";

    /// <summary>The schema of Hangfire's tables on SQL Server (see <see cref="BackgroundJobs"/>).</summary>
    public const string HangfireSchema = "hangfire";

    /// <summary>When the host was started as <c>schema-scripts &lt;folder&gt;</c>: the folder.</summary>
    public static bool IsRequested(string[] args, out string folder)
    {
        folder = args is [Command, var path] ? path : string.Empty;
        return folder.Length > 0;
    }

    /// <summary>
    /// Writes one <c>NN-name.sql</c> a schema, in the order to apply them, into <paramref name="folder"/> and prints
    /// their paths. The schemas are those <paramref name="addDatabases"/> registers (<see cref="ModuleSchema"/>).
    /// </summary>
    public static IReadOnlyList<string> Write(string folder, Action<WebApplicationBuilder> addDatabases)
    {
        var builder = WebApplication.CreateBuilder();
        addDatabases(builder);
        var modules = builder.Services
            .Where(d => d.ServiceType == typeof(ModuleSchema))
            .Select(d => (ModuleSchema)d.ImplementationInstance!);
        Directory.CreateDirectory(folder);
        var scripts = modules
            .Select(module => (module.Name, Sql: module.IdempotentSqlServerScript()))
            .Append((Name: HangfireSchema, Sql: SqlServerObjectsInstaller.GetInstallScript(HangfireSchema, enableHeavyMigrations: false)))
            .ToList();
        var paths = new List<string>();
        for (var i = 0; i < scripts.Count; i++)
        {
            var path = Path.Combine(folder, $"{i + 1:00}-{scripts[i].Name}.sql");
            File.WriteAllText(path, scripts[i].Sql, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            Console.WriteLine(path);
            paths.Add(path);
        }

        return paths;
    }
}
