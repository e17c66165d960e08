namespace XiaoxiangTracking.Modules.Shared.Security;

/// <summary>The roles a caller's token carries (claim <c>role</c>).</summary>
public static class Roles
{
    public const string Customer = "customer";
    public const string Rider = "rider";
    public const string Warehouse = "warehouse";
    public const string Ops = "ops";

    public static IReadOnlyList<string> All { get; } = [Customer, Rider, Warehouse, Ops];
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

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyDictionary<string, string[]> RolesOf { get; } = new Dictionary<string, string[]>
    {
        [Ops] = [Roles.Ops],
        [Riders] = [Roles.Rider, Roles.Ops],
        [Warehouses] = [Roles.Warehouse, Roles.Ops],
        [Customers] = [Roles.Customer, Roles.Ops],
        [Participants] = [Roles.Customer, Roles.Rider, Roles.Warehouse, Roles.Ops],
    };
}
