namespace XiaoxiangTracking.Modules.Shared.Errors;

/// <summary>
/// The server is saturated and did not accept the request; nothing was stored. Answered with 503 and a
/// <c>Retry-After</c> header so clients back off instead of hammering.
/// </summary>
public sealed class ServiceUnavailableException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
