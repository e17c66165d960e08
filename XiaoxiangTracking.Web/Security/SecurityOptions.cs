using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Web.Security;

/// <summary>Abuse limits, browser origins and trusted proxies (section <c>Security</c>).</summary>
internal sealed class SecurityOptions
{
    public const string SectionName = "Security";

    [Required]
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>
    /// Origins of the web pages allowed to call the API and open the hub from a browser (CORS and the hub's origin
    /// check). Never a wildcard: credentials are allowed.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR) of reverse proxies whose forwarded headers are believed.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>Request rates per caller; over them the answer is 429 with Retry-After.</summary>
internal sealed class RateLimitOptions
{
    /// <summary>Position reports (single or batch) per rider per minute (default 60; a rider reports every 15 s).</summary>
    [Range(1, 100000)]
    public int PositionsPerRiderPerMinute { get; set; } = 60;

    /// <summary>Order placements, payments, cancellations and listings per customer per minute (default 30).</summary>
    [Range(1, 100000)]
    public int OrderActionsPerCustomerPerMinute { get; set; } = 30;

    /// <summary>
    /// Hub connections opened per client address per minute (default 120: many phones share one carrier address).
    /// </summary>
    [Range(1, 100000)]
    public int HubConnectsPerAddressPerMinute { get; set; } = 120;

    /// <summary>
    /// Requests without a valid token (none, bad or expired: pages, health, sign-in failures) per client address per
    /// minute (default 120).
    /// </summary>
    [Range(1, 100000)]
    public int AnonymousRequestsPerAddressPerMinute { get; set; } = 120;

    /// <summary>Share links opened (<c>/t/{token}</c>) per client address per minute (default 30).</summary>
    [Range(1, 100000)]
    public int ShareLinkOpensPerAddressPerMinute { get; set; } = 30;
}
