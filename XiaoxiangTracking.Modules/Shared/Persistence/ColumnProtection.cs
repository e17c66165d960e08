using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>
/// Encryption at rest of personal data (customer phone, name and address, and what carries them: outbox events,
/// stored replies, webhook payloads) with ASP.NET Core Data Protection. A protected value is stored as
/// <c>dp1:</c> + the protected payload; a value without the prefix (written before encryption) is read as it is and
/// encrypted at its next write. The keys are the host's key ring, so each host's model carries its own protector.
/// </summary>
public sealed class ColumnProtection
{
    public const string Prefix = "dp1:";
    private const string Purpose = "XiaoxiangTracking.Columns.v1";
    private static readonly byte[] BytePrefix = Encoding.ASCII.GetBytes(Prefix);

    private readonly IDataProtector? _protector;

    private ColumnProtection(IDataProtector? protector)
    {
        _protector = protector;
        Text = new ValueConverter<string, string>(value => Protect(value), stored => Unprotect(stored));
        Bytes = new ValueConverter<byte[], byte[]>(value => Protect(value), stored => Unprotect(stored));
    }

    /// <summary>Stores text encrypted.</summary>
    public ValueConverter<string, string> Text { get; }

    /// <summary>Stores bytes encrypted.</summary>
    public ValueConverter<byte[], byte[]> Bytes { get; }

    /// <summary>
    /// The context's protection with the host's key ring. A context built without one (the EF Core tools, which never
    /// read or write rows) refuses to protect or read protected values rather than write what no key can read.
    /// </summary>
    public static ColumnProtection Of(DbContext context) =>
        new(context.GetService<IDbContextOptions>().FindExtension<ColumnProtectionExtension>()?.Provider.CreateProtector(Purpose));

    public string Protect(string value) => Prefix + Protector.Protect(value);

    public string Unprotect(string stored) =>
        stored.StartsWith(Prefix, StringComparison.Ordinal) ? Protector.Unprotect(stored[Prefix.Length..]) : stored;

    public byte[] Protect(byte[] value) => [.. BytePrefix, .. Protector.Protect(value)];

    public byte[] Unprotect(byte[] stored) =>
        stored.AsSpan().StartsWith(BytePrefix) ? Protector.Unprotect(stored[BytePrefix.Length..]) : stored;

    private IDataProtector Protector => _protector
        ?? throw new InvalidOperationException("This context has no Data Protection key ring (ColumnProtectionExtension); personal data cannot be written or read.");

    /// <summary>The encrypted length of text of up to <paramref name="characters"/> characters (UTF-8, base64url, overhead).</summary>
    public static int StoredLength(int characters) => Prefix.Length + (((((characters * 3) + 100) / 3) + 1) * 4);
}

/// <summary>Encrypts the property's value at rest (<see cref="ColumnProtection"/>).</summary>
public static class ProtectedProperties
{
    /// <summary>Encrypted text; with <paramref name="maxCharacters"/>, a column long enough for that much text encrypted.</summary>
    public static PropertyBuilder<string> IsProtected(this PropertyBuilder<string> property, ColumnProtection protection, int? maxCharacters = null)
    {
        property.HasConversion(protection.Text);
        return maxCharacters is { } characters ? property.HasMaxLength(ColumnProtection.StoredLength(characters)) : property;
    }

    /// <summary>Encrypted text of a complex type (an address), in a column long enough for <paramref name="maxCharacters"/> encrypted.</summary>
    public static ComplexTypePropertyBuilder<string> IsProtected(this ComplexTypePropertyBuilder<string> property, ColumnProtection protection, int maxCharacters) =>
        property.HasConversion(protection.Text).HasMaxLength(ColumnProtection.StoredLength(maxCharacters));

    /// <summary>Encrypted bytes, compared by content (not by reference) for change tracking.</summary>
    public static PropertyBuilder<byte[]?> IsProtected(this PropertyBuilder<byte[]?> property, ColumnProtection protection) =>
        property.HasConversion(protection.Bytes!, new ValueComparer<byte[]?>(
            (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
            value => value == null ? 0 : value.Length,
            value => value == null ? null : value.ToArray()));
}

/// <summary>Carries the host's Data Protection provider into its contexts' options.</summary>
public sealed class ColumnProtectionExtension(IDataProtectionProvider provider) : IDbContextOptionsExtension
{
    public IDataProtectionProvider Provider { get; } = provider;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
        // Adds no services: the contexts of every host share EF Core's internal services.
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "ColumnProtection ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["ColumnProtection"] = "1";
    }
}

/// <summary>
/// One model per context type and key ring: the model holds the protecting converters, and hosts sharing a process (as
/// in tests) each have their own keys.
/// </summary>
internal sealed class ProtectedModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), designTime, context.GetService<IDbContextOptions>().FindExtension<ColumnProtectionExtension>()?.Provider);
}
