using System.Diagnostics.CodeAnalysis;

namespace XiaoxiangTracking.Modules.Shared.Memory;

/// <summary>
/// One copy of the ids that many long-lived objects repeat — a warehouse's or a rider's, carried by every order they
/// have — so the orders of one warehouse hold one string between them rather than one each. A fixed table of the names
/// last seen: a name takes the slot its hash picks, and one that collides with it is then copied again when it comes
/// back. Memory stays the same however many distinct names pass through, and losing a race only costs a copy.
/// </summary>
public static class Names
{
    private const int Slots = 1 << 14;
    private static readonly string?[] Table = new string?[Slots];

    /// <summary>The table's copy of <paramref name="name"/> when it has one; otherwise <paramref name="name"/>, now in the table.</summary>
    [return: NotNullIfNotNull(nameof(name))]
    public static string? Shared(string? name)
    {
        if (name is null)
        {
            return null;
        }

        ref var slot = ref Table[StringComparer.Ordinal.GetHashCode(name) & (Slots - 1)];
        var known = Volatile.Read(ref slot);
        if (string.Equals(known, name, StringComparison.Ordinal))
        {
            return known!;
        }

        Volatile.Write(ref slot, name);
        return name;
    }
}
