using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using XiaoxiangTracking.Modules.Orders.Domain;
using XiaoxiangTracking.Modules.Shared.Persistence;

namespace XiaoxiangTracking.Modules.Orders.Persistence;

/// <summary>The orders table; the customer's address, name and phone are stored encrypted.</summary>
internal sealed class OrderConfiguration(string tablePrefix, ColumnProtection protection) : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> order)
    {
        order.ToTable($"{tablePrefix}orders");
        order.HasKey(o => o.Id);
        order.Property(o => o.Id).HasMaxLength(32).IsFixedLength().IsUnicode(false);
        order.Property(o => o.CustomerId).HasMaxLength(32).IsRequired();
        order.Property(o => o.Status).HasConversion<byte>();
        order.Property(o => o.TotalAmount).HasPrecision(10, 2);
        order.Property(o => o.WarehouseId).HasMaxLength(32).IsRequired();
        order.Property(o => o.RiderId).HasMaxLength(32);
        order.Property(o => o.PaymentReference).HasMaxLength(64);
        order.Property(o => o.CancellationReason).HasMaxLength(500);
        // App-managed concurrency token (SQLite has no rowversion): UPDATE ... WHERE version = @loaded.
        order.Property(o => o.Version).IsConcurrencyToken();

        order.ComplexProperty(o => o.WarehouseLocation, location =>
        {
            location.Property(l => l.Latitude).HasColumnName("warehouse_latitude");
            location.Property(l => l.Longitude).HasColumnName("warehouse_longitude");
        });

        order.ComplexProperty(o => o.DeliveryAddress, address =>
        {
            address.Property(a => a.Text).HasColumnName("delivery_address").IsRequired().IsProtected(protection, 255);
            address.Property(a => a.RecipientName!).HasColumnName("recipient_name").IsProtected(protection, 50);
            address.Property(a => a.RecipientPhone!).HasColumnName("recipient_phone").IsProtected(protection, 20);
            address.ComplexProperty(a => a.Location, location =>
            {
                location.Property(l => l.Latitude).HasColumnName("delivery_latitude");
                location.Property(l => l.Longitude).HasColumnName("delivery_longitude");
            });
        });

        order.OwnsMany(o => o.Lines, line =>
        {
            line.ToTable($"{tablePrefix}order_lines");
            line.WithOwner().HasForeignKey("OrderId");
            line.HasKey("OrderId", nameof(OrderLine.LineNumber));
            line.Property(l => l.LineNumber).ValueGeneratedNever();
            line.Property(l => l.Sku).HasMaxLength(64).IsRequired();
            line.Property(l => l.Name).HasMaxLength(200).IsRequired();
            line.Property(l => l.UnitPrice).HasPrecision(10, 2);
            line.Ignore(l => l.LineTotal);
        });
        order.Navigation(o => o.Lines).HasField("_lines").AutoInclude();

        order.HasOne(o => o.PickingTask).WithOne().HasForeignKey<PickingTask>(t => t.OrderId);
        order.Navigation(o => o.PickingTask).AutoInclude();

        // "My orders", newest first; ops search by status, warehouse or rider.
        order.HasIndex(o => new { o.CustomerId, o.CreatedAt });
        order.HasIndex(o => new { o.Status, o.CreatedAt });
        order.HasIndex(o => new { o.WarehouseId, o.CreatedAt });
        order.HasIndex(o => new { o.RiderId, o.CreatedAt });
        order.Ignore(o => o.PendingNotifications);
    }
}

internal sealed class PickingTaskConfiguration(string tablePrefix) : IEntityTypeConfiguration<PickingTask>
{
    public void Configure(EntityTypeBuilder<PickingTask> task)
    {
        task.ToTable($"{tablePrefix}picking_tasks");
        task.HasKey(t => t.Id);
        task.Property(t => t.Id).HasMaxLength(32).IsFixedLength().IsUnicode(false);
        task.Property(t => t.OrderId).HasMaxLength(32).IsFixedLength().IsUnicode(false);
        task.Property(t => t.WarehouseId).HasMaxLength(32).IsRequired();
        task.Property(t => t.Status).HasConversion<byte>();
        task.HasIndex(t => t.OrderId).IsUnique();
        // The warehouse's work list.
        task.HasIndex(t => new { t.WarehouseId, t.Status, t.CreatedAt });
    }
}

internal sealed class ShareLinkConfiguration(string tablePrefix) : IEntityTypeConfiguration<ShareLink>
{
    public void Configure(EntityTypeBuilder<ShareLink> link)
    {
        link.ToTable($"{tablePrefix}share_links");
        link.HasKey(l => l.Id);
        link.Property(l => l.Id).HasMaxLength(32).IsFixedLength().IsUnicode(false);
        link.Property(l => l.OrderId).HasMaxLength(32).IsFixedLength().IsUnicode(false);
        link.Property(l => l.TokenHash).HasMaxLength(64).IsFixedLength().IsUnicode(false);
        link.Property(l => l.CreatedBy).HasMaxLength(32).IsRequired();
        link.Property(l => l.RevokedBy).HasMaxLength(32);
        link.HasOne<Order>().WithMany().HasForeignKey(l => l.OrderId);
        // Opening a link looks it up by its token's hash.
        link.HasIndex(l => l.TokenHash).IsUnique();
        link.HasIndex(l => l.OrderId);
    }
}
