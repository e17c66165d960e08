using Microsoft.EntityFrameworkCore;

using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Modules.Shared.Idempotency;

/// <summary>The first request made with an <c>Idempotency-Key</c> and, once it succeeded, its response.</summary>
public sealed class IdempotencyRecord
{
    public string Key { get; set; } = string.Empty;

    /// <summary>SHA-256 of method, path, query and the bound request body.</summary>
    public string RequestHash { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public byte[]? ResponseBody { get; set; }
}

public static class IdempotencyModel
{
    /// <summary>Maps the idempotency table into a module's model (<c>{prefix}idempotency_keys</c>).</summary>
    /// <remarks>Stored replies can carry personal data (a placed order's address): stored encrypted.</remarks>
    public static ModelBuilder AddIdempotencyKeys(this ModelBuilder modelBuilder, string tablePrefix, ColumnProtection protection)
    {
        modelBuilder.Entity<IdempotencyRecord>(record =>
        {
            record.ToTable($"{tablePrefix}idempotency_keys");
            record.HasKey(r => r.Key);
            record.Property(r => r.Key).HasMaxLength(IdempotencyOptions.MaxKeyLength);
            record.Property(r => r.RequestHash).HasMaxLength(64).IsRequired();
            record.Property(r => r.ContentType).HasMaxLength(200);
            record.Property(r => r.Location).HasMaxLength(500);
            record.Property(r => r.ResponseBody).IsProtected(protection);
            record.HasIndex(r => r.CreatedAt);
        });
        return modelBuilder;
    }
}
