namespace XiaoxiangTracking.Modules.Shared.Errors;

/// <summary>
/// A request that is well-formed but not allowed by the current state (an illegal status transition, a rider who is
/// not the assigned one, ...). Answered with 409 and a problem detail carrying <see cref="Details"/>.
/// </summary>
public sealed class RuleViolationException(
    string code,
    string message,
    IReadOnlyDictionary<string, object?>? details = null) : Exception(message)
{
    /// <summary>A stable, machine-readable code, e.g. <c>illegal_transition</c>.</summary>
    public string Code { get; } = code;

    /// <summary>Extra members written into the problem detail (e.g. <c>currentStatus</c>).</summary>
    public IReadOnlyDictionary<string, object?> Details { get; } = details ?? new Dictionary<string, object?>();
}
