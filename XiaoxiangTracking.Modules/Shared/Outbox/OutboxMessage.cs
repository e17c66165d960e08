using Microsoft.EntityFrameworkCore;

using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Modules.Shared.Outbox;

/// <summary>A notification committed with the state change that raised it, waiting to be published.</summary>
public sealed class OutboxMessage
{
    /// <summary>Store-generated, increasing: messages are published in commit order.</summary>
    public long Id { get; private set; }

    /// <summary>Stable name of the notification type (see <see cref="NotificationTypeRegistry"/>).</summary>
    public string Type { get; private set; } = string.Empty;

    /// <summary>The notification as JSON.</summary>
    public string Payload { get; private set; } = string.Empty;

    public DateTimeOffset OccurredAt { get; private set; }

    public DateTimeOffset? ProcessedAt { get; internal set; }

    public int Attempts { get; internal set; }

    public string? LastError { get; internal set; }

    internal static OutboxMessage Create(string type, string payload, DateTimeOffset occurredAt) =>
        new() { Type = type, Payload = payload, OccurredAt = occurredAt };
}

public static class OutboxModel
{
    /// <summary>Maps the outbox table into a module's model (<c>{prefix}outbox_messages</c>).</summary>
    /// <remarks>Payloads are events that can carry personal data (an order's address): stored encrypted.</remarks>
    public static ModelBuilder AddOutbox(this ModelBuilder modelBuilder, string tablePrefix, ColumnProtection protection)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable($"{tablePrefix}outbox_messages");
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.Type).HasMaxLength(200).IsRequired();
            outbox.Property(m => m.Payload).IsRequired().IsProtected(protection);
            outbox.Property(m => m.LastError).HasMaxLength(2000);
            // The dispatcher's only query: unprocessed messages in commit order.
            outbox.HasIndex(m => new { m.ProcessedAt, m.Id });
        });
        return modelBuilder;
    }
}
