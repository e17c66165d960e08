using System.Security.Cryptography.X509Certificates;
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
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<SecurityDbContext>();
        ProtectKeyRing(dataProtection, builder.Configuration.GetSection(KeyRingSection));
        return builder;
    }

    /// <summary>Where the certificate that encrypts the key ring is configured.</summary>
    public const string KeyRingSection = "Security:KeyRing";

    /// <summary>
    /// With <c>Security:KeyRing:CertificatePath</c> (a PKCS#12 file, <c>CertificatePassword</c>) the keys are stored
    /// encrypted with that certificate, so a copy of the database alone decrypts nothing. Certificates listed in
    /// <c>PreviousCertificatePaths</c> (same password) still unlock keys written before the certificate was replaced.
    /// </summary>
    private static void ProtectKeyRing(IDataProtectionBuilder dataProtection, IConfigurationSection settings)
    {
        if (settings["CertificatePath"] is not { Length: > 0 } path)
        {
            return;
        }

        var password = settings["CertificatePassword"];
        var current = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        var previous = settings.GetSection("PreviousCertificatePaths").Get<string[]>() ?? [];
        dataProtection.ProtectKeysWithCertificate(current)
            .UnprotectKeysWithAnyCertificate([current, .. previous.Select(p => X509CertificateLoader.LoadPkcs12FromFile(p, password))]);
    }
}
