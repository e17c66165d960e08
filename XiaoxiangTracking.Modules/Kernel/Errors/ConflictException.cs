namespace XiaoxiangTracking.Modules.Shared.Errors;

/// <summary>
/// The request lost a race: another change to the same resource committed first (optimistic concurrency), or an
/// identical request is still being processed. Answered with 409; the caller may reload and retry.
/// </summary>
public sealed class ConflictException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
