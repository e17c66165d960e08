using Microsoft.AspNetCore.DataProtection;
using XiaoxiangTracking.Modules.Shared.Persistence;
using XiaoxiangTracking.Web.Security.Persistence;

namespace XiaoxiangTracking.Web.Security;

internal static class SecurityDatabase
{
    /// <summary>Every instance must use the same name to read each other's protected data.</summary>
    public const string DataProtectionApplicationName = "xiaoxiang-tracking";

    /// <summary>
    /// The security tables (migrated first, as Data Protection reads its keys from them), the deny list, and Data
    /// Protection with its key ring in the database: every instance encrypts and decrypts with the same keys, a new key
    /// every 90 days, old keys kept for reading (docs/security.md).
    /// </summary>
    public static WebApplicationBuilder AddSecurityDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddModuleDbContext<SecurityDbContext, SqliteSecurityDbContext, SqlServerSecurityDbContext>(
            builder.Configuration, SecurityDbContext.Schema);
        builder.Services.AddHealthChecks().AddModuleDatabaseCheck<SecurityDbContext>("security-database");
        builder.Services.AddSingleton<DenyList>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DenyList>());
        builder.Services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<SecurityDbContext>();
        return builder;
    }
}
