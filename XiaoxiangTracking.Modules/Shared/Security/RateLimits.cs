namespace XiaoxiangTracking.Modules.Shared.Security;

/// <summary>The rate-limiting policies endpoints name; the host defines their limits (section <c>Security:RateLimits</c>).</summary>
public static class RateLimits
{
    /// <summary>Position reports, per rider.</summary>
    public const string Positions = "positions";

    /// <summary>Placing, paying, cancelling and listing orders, per customer.</summary>
    public const string OrderActions = "order-actions";

    /// <summary>Hub negotiations and connections, per client IP address.</summary>
    public const string HubConnect = "hub-connect";

    /// <summary>Opening share links (<c>/t/{token}</c>), per client IP address: guessing tokens is slow.</summary>
    public const string ShareLinkOpens = "share-link-opens";
}
