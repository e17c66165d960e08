using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Modules.Orders.Settings;

/// <summary>Bound from the <c>Orders</c> section of appsettings.json.</summary>
internal sealed class OrdersOptions
{
    public const string SectionName = "Orders";

    /// <summary>Promised delivery time when the client does not give one: placed + this (default 30 min).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan DefaultDeliveryPromise { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The latest promised delivery time a client may ask for: placed + this (default 1 day).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan MaxDeliveryPromise { get; set; } = TimeSpan.FromDays(1);

    /// <summary>An order not paid within this long after it was placed is cancelled (default 15 min).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan PaymentTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Cron schedule of the payment expiry job (default every minute).</summary>
    [Required]
    public string PaymentExpiryCron { get; set; } = "* * * * *";

    /// <summary>Most lines on one order (default 100).</summary>
    [Range(1, 1_000)]
    public int MaxLinesPerOrder { get; set; } = 100;

    /// <summary>Page size when the client gives none (default 20).</summary>
    [Range(1, 1_000)]
    public int DefaultPageSize { get; set; } = 20;

    /// <summary>Larger page sizes are capped to this (default 100).</summary>
    [Range(1, 1_000)]
    public int MaxPageSize { get; set; } = 100;

    /// <summary>A share link works at most this long after it was made (default 24 h).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan ShareLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A share link stops working this long after its order was delivered or cancelled (default 2 h).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ShareLinkAfterEnd { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Most links one order may have that have not been revoked (default 20).</summary>
    [Range(1, 1_000)]
    public int MaxShareLinksPerOrder { get; set; } = 20;
}
