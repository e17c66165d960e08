namespace XiaoxiangTracking.Web.Security.Persistence;

/// <summary>A network (CIDR) whose requests are refused with 403.</summary>
internal sealed class DeniedNetwork
{
    public const int MaxCidrLength = 50;
    public const int MaxReasonLength = 200;

    public string Id { get; init; } = string.Empty;

    /// <summary>The network in CIDR notation, normalised (203.0.113.0/24, 2001:db8::/32).</summary>
    public string Cidr { get; init; } = string.Empty;

    public string Reason { get; init; } = string.Empty;

    /// <summary>The operator who added it.</summary>
    public string CreatedBy { get; init; } = string.Empty;

    public DateTimeOffset CreatedAt { get; init; }
}
