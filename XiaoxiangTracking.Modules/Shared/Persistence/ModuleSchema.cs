using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>
/// One module's database schema as the host knows it: its name (the SQL Server schema, the SQLite table prefix) and its
/// SQL Server migrations. Registered by <see cref="ModuleDatabase.AddModuleDbContext{TContext, TSqliteContext, TSqlServerContext}"/>,
/// so the host can list every schema it needs without knowing the modules' internals.
/// </summary>
public sealed class ModuleSchema(string name, Func<DbContext> sqlServerDesignContext)
{
    public string Name { get; } = name;

    /// <summary>
    /// The idempotent SQL Server script of every migration (each applied only where the migrations history table does
    /// not list it yet), as <c>dotnet ef migrations script --idempotent</c> writes it — without needing the tool.
    /// </summary>
    public string IdempotentSqlServerScript()
    {
        using var context = sqlServerDesignContext();
        return context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    }
}
