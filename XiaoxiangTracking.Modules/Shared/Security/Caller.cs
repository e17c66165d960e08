using System.Security.Claims;
using XiaoxiangTracking.Modules.Shared.Errors;

namespace XiaoxiangTracking.Modules.Shared.Security;

/// <summary>What the API reads about the caller from their token.</summary>
public static class Caller
{
    public static string? Id(this ClaimsPrincipal caller) => caller.FindFirstValue(ClaimNames.Subject);

    public static string? WarehouseId(this ClaimsPrincipal caller) => caller.FindFirstValue(ClaimNames.WarehouseId);

    public static bool IsOps(this ClaimsPrincipal caller) => caller.IsInRole(Roles.Ops);

    /// <summary>
    /// The id a caller acts as when a request names one (a rider reporting, a customer placing an order): ops may name
    /// anyone; everyone else acts as themselves, may leave it out, and gets 403 when naming someone else.
    /// </summary>
    public static string ActingAs(this ClaimsPrincipal caller, string? named, string role, string what)
    {
        if (caller.IsOps())
        {
            return named ?? string.Empty;
        }

        var self = caller.IsInRole(role) ? caller.Id() : null;
        if (self is null || (named is not null && !string.Equals(named, self, StringComparison.Ordinal)))
        {
            throw new ForbiddenException($"You can {what} only as yourself.");
        }

        return self;
    }
}
