using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>The database provider, chosen by the single <c>Database:Provider</c> setting.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded default: one SQLite file under <see cref="DatabaseOptions.DataFolder"/>.</summary>
    Sqlite,

    /// <summary>Production: SQL Server with geography columns, connection string <c>ConnectionStrings:SqlServer</c>.</summary>
    SqlServer,
}

/// <summary>Bound from the <c>Database</c> section of appsettings.json.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder of the SQLite file; relative paths are resolved against the app's content root.</summary>
    [Required]
    public string DataFolder { get; set; } = "data";

    /// <summary>File name of the SQLite database inside <see cref="DataFolder"/>.</summary>
    [Required]
    public string SqliteFileName { get; set; } = "xiaoxiang-tracking.db";

    /// <summary>How long a SQLite writer waits for the lock before failing (PRAGMA busy_timeout).</summary>
    [Range(100, 120_000)]
    public int SqliteBusyTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>SQL Server connection string; required when <see cref="Provider"/> is SqlServer.</summary>
    public string? SqlServerConnectionString { get; set; }

    /// <summary>
    /// Apply pending EF Core migrations when the host starts. On by default (embedded default); production on SQL
    /// Server usually turns it off and applies the generated script in the release pipeline.
    /// </summary>
    public bool ApplyMigrationsAtStartup { get; set; } = true;

    /// <summary>Full path of the SQLite file for a given content root.</summary>
    public string SqliteFilePath(string contentRoot) =>
        Path.GetFullPath(Path.Combine(contentRoot, DataFolder, SqliteFileName));
}
