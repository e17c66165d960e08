using XiaoxiangTracking.Modules.Shared.Domain;

namespace XiaoxiangTracking.Modules.Orders.Domain;

/// <summary>Where and to whom the order is delivered.</summary>
internal sealed record DeliveryAddress(string Text, GeoCoordinate Location, string? RecipientName, string? RecipientPhone)
{
    // For EF Core, which cannot bind the nested Location through the constructor.
    private DeliveryAddress()
        : this(string.Empty, default, null, null)
    {
    }
}
