namespace XiaoxiangTracking.Modules.Shared.Security;

/// <summary>The roles a caller's token carries (claim <c>role</c>).</summary>
public static class Roles
{
    public const string Customer = "customer";
    public const string Rider = "rider";
    public const string Warehouse = "warehouse";
    public const string Ops = "ops";

    /// <summary>The roles a token of the identity provider (or a development token) may carry.</summary>
    public static IReadOnlyList<string> All { get; } = [Customer, Rider, Warehouse, Ops];

    /// <summary>
    /// Whoever opens a share link: not a role of any token, but of the principal a share link's token stands for, which
    /// may follow its one order and nothing else.
    /// </summary>
    public const string ShareViewer = "share-viewer";
}

/// <summary>The claims the API reads from a caller's token.</summary>
public static class ClaimNames
{
    /// <summary>The caller's id: a customer, rider, warehouse worker or ops user.</summary>
    public const string Subject = "sub";

    /// <summary>The caller's role (repeated for several).</summary>
    public const string Role = "role";

    /// <summary>For the warehouse role: the warehouse the caller works at.</summary>
    public const string WarehouseId = "warehouse_id";

    /// <summary>For a share link's viewer: the one order the link shows.</summary>
    public const string OrderId = "order_id";

    /// <summary>For a share link's viewer: the link (its id, not its token).</summary>
    public const string ShareLinkId = "share_link_id";

    /// <summary>For a share link's viewer: when the link stops working (round-trip format), as it stood at authentication.</summary>
    public const string ShareLinkExpiresAt = "share_expires_at";
}

/// <summary>
/// The authorization policies every endpoint and hub method names. A policy says which roles may call; which orders,
/// riders or warehouses a caller may touch is decided per resource (orders by <c>IOrderQueries.FindForAsync</c>).
/// </summary>
public static class Policies
{
    /// <summary>Ops only.</summary>
    public const string Ops = "ops";

    /// <summary>Riders (for themselves) and ops.</summary>
    public const string Riders = "riders";

    /// <summary>Warehouse staff (for their warehouse) and ops.</summary>
    public const string Warehouses = "warehouses";

    /// <summary>Customers (for themselves) and ops.</summary>
    public const string Customers = "customers";

    /// <summary>Any role; each order is then checked against the caller.</summary>
    public const string Participants = "participants";

    /// <summary>Any role and a share link's viewer (for its one order): reading an order's live state and timeline and following it on the hub.</summary>
    public const string Watchers = "watchers";

    /// <summary>A share link's viewer only.</summary>
    public const string ShareViewers = "share-viewers";

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyDictionary<string, string[]> RolesOf { get; } = new Dictionary<string, string[]>
    {
        [Ops] = [Roles.Ops],
        [Riders] = [Roles.Rider, Roles.Ops],
        [Warehouses] = [Roles.Warehouse, Roles.Ops],
        [Customers] = [Roles.Customer, Roles.Ops],
        [Participants] = [Roles.Customer, Roles.Rider, Roles.Warehouse, Roles.Ops],
        [Watchers] = [Roles.Customer, Roles.Rider, Roles.Warehouse, Roles.Ops, Roles.ShareViewer],
        [ShareViewers] = [Roles.ShareViewer],
    };
}
