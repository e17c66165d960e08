using System.Collections.ObjectModel;
using Mediator;

namespace XiaoxiangTracking.Modules.Tracking.Contracts;

/// <summary>What went wrong with a delivery.</summary>
public enum AlertType
{
    /// <summary>The rider has barely moved for a while, away from the warehouse and the customer.</summary>
    Stall = 1,

    /// <summary>No position from the rider for a while.</summary>
    Offline = 2,

    /// <summary>The rider left the route to the customer.</summary>
    Deviation = 3,

    /// <summary>The promised delivery time is near.</summary>
    TimeoutWarning = 4,

    /// <summary>The promised delivery time has passed.</summary>
    Timeout = 5,
}

/// <summary>
/// Sets of open alert types, each held once: an order's state and its deltas carry one of these shared, read-only,
/// ordered lists rather than a list of their own, so thousands of orders with the same alerts open cost nothing each.
/// </summary>
public static class AlertSets
{
    private static readonly int Highest = Enum.GetValues<AlertType>().Max(type => (int)type);

    private static readonly ReadOnlyCollection<AlertType>[] BySet = [.. Enumerable.Range(0, 1 << Highest).Select(set =>
        new ReadOnlyCollection<AlertType>([.. Enum.GetValues<AlertType>().Where(type => (set & Bit(type)) != 0)]))];

    /// <summary>No alert open.</summary>
    public static IReadOnlyList<AlertType> None => BySet[0];

    /// <summary>
    /// The shared list holding exactly <paramref name="types"/> (in code order, each once); null for null. A list with a
    /// value no release knows (sent by a newer one) is kept as it is.
    /// </summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(types))]
    public static IReadOnlyList<AlertType>? Shared(IEnumerable<AlertType>? types)
    {
        if (types is null)
        {
            return null;
        }

        var set = 0;
        foreach (var type in types)
        {
            if (Bit(type) == 0)
            {
                return [.. types];
            }

            set |= Bit(type);
        }

        return BySet[set];
    }

    /// <summary>The type's bit in a set; 0 for a value that is not a type.</summary>
    private static int Bit(AlertType type) => Enum.IsDefined(type) ? 1 << ((int)type - 1) : 0;
}

/// <summary>An alert was raised on an order (published after it was stored; at most one open per order and type).</summary>
/// <param name="AlertId">The alert.</param>
/// <param name="OrderId">The order.</param>
/// <param name="Type">What went wrong.</param>
/// <param name="RiderId">The rider concerned, if any.</param>
/// <param name="Detail">A sentence for ops.</param>
/// <param name="Retroactive">True when raised over positions that arrived late (an offline batch).</param>
/// <param name="OccurredAt">When it was raised.</param>
public sealed record AlertRaised(
    string AlertId,
    string OrderId,
    AlertType Type,
    string? RiderId,
    string Detail,
    bool Retroactive,
    DateTimeOffset OccurredAt) : INotification;

/// <summary>An alert was resolved: its condition cleared, the order ended, or an operator closed it.</summary>
/// <param name="AlertId">The alert.</param>
/// <param name="OrderId">The order.</param>
/// <param name="Type">What had gone wrong.</param>
/// <param name="ResolvedBy">The operator, or null when it resolved itself.</param>
/// <param name="OccurredAt">When it was resolved.</param>
public sealed record AlertResolved(string AlertId, string OrderId, AlertType Type, string? ResolvedBy, DateTimeOffset OccurredAt) : INotification;
