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

/// <summary>Why an alert was raised; with <see cref="AlertFacts"/>, what a client words in its own language.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<AlertReason>))]
public enum AlertReason
{
    /// <summary>Moved less than <see cref="AlertFacts.Meters"/> in <see cref="AlertFacts.Minutes"/> (a stall).</summary>
    Stalled = 1,

    /// <summary>No position since <see cref="AlertFacts.At"/>.</summary>
    NoPosition = 2,

    /// <summary><see cref="AlertFacts.Meters"/> off the route to the customer for <see cref="AlertFacts.Fixes"/> fixes.</summary>
    OffRoute = 3,

    /// <summary><see cref="AlertFacts.Meters"/> farther from the customer over <see cref="AlertFacts.Fixes"/> fixes.</summary>
    MovingAway = 4,

    /// <summary>Promised for <see cref="AlertFacts.PromisedAt"/>, <see cref="AlertFacts.Minutes"/> from when it was raised.</summary>
    DueSoon = 5,

    /// <summary>Not delivered by <see cref="AlertFacts.PromisedAt"/>.</summary>
    Late = 6,
}

/// <summary>
/// What an alert says, as a reason and its figures; instants are UTC, for a client to show in the viewer's time zone.
/// <see cref="At"/> is the moment the figures refer to when it is not the raising: the last position for
/// <see cref="AlertReason.NoPosition"/>, the fix where a retroactive alert held.
/// </summary>
/// <param name="Reason">Why it was raised.</param>
/// <param name="Meters">A distance, whole metres.</param>
/// <param name="Minutes">A duration, whole minutes.</param>
/// <param name="Fixes">How many fixes the rule looked at.</param>
/// <param name="At">The moment the figures refer to.</param>
/// <param name="PromisedAt">The promised delivery time.</param>
public sealed record AlertFacts(
    AlertReason Reason,
    int? Meters = null,
    int? Minutes = null,
    int? Fixes = null,
    DateTimeOffset? At = null,
    DateTimeOffset? PromisedAt = null)
{
    /// <summary>The facts in one English sentence, times in UTC (logs, webhooks, the timeline's remark).</summary>
    public string Describe(string? riderId, bool retroactive)
    {
        var rider = riderId is null ? "the rider" : $"rider {riderId}";
        var theRider = riderId is null ? "The rider" : $"Rider {riderId}";
        var sentence = Reason switch
        {
            AlertReason.Stalled => $"{theRider} has moved less than {Meters} m in {Minutes} min.",
            AlertReason.NoPosition => $"No position from {rider} since {At:HH:mm:ss} UTC.",
            AlertReason.OffRoute => $"{theRider} is {Meters} m off the route to the customer for {Fixes} fixes.",
            AlertReason.MovingAway => $"{theRider} is moving away from the customer: {Meters} m farther over {Fixes} fixes.",
            AlertReason.DueSoon => $"Promised for {PromisedAt:HH:mm} UTC, {Minutes} min from now.",
            AlertReason.Late => $"Not delivered by the promised {PromisedAt:HH:mm} UTC.",
            _ => $"{Reason}.",
        };
        return retroactive ? $"{sentence[..^1]} (at {At:HH:mm:ss} UTC, found in positions uploaded late)." : sentence;
    }
}

/// <summary>An alert was raised on an order (published after it was stored; at most one open per order and type).</summary>
/// <param name="AlertId">The alert.</param>
/// <param name="OrderId">The order.</param>
/// <param name="Type">What went wrong.</param>
/// <param name="RiderId">The rider concerned, if any.</param>
/// <param name="Facts">Why, with its figures.</param>
/// <param name="Detail">The facts in an English sentence.</param>
/// <param name="Retroactive">True when raised over positions that arrived late (an offline batch).</param>
/// <param name="OccurredAt">When it was raised.</param>
public sealed record AlertRaised(
    string AlertId,
    string OrderId,
    AlertType Type,
    string? RiderId,
    AlertFacts? Facts,
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
