namespace XiaoxiangTracking.Modules.Shared.Errors;

/// <summary>
/// The server is saturated, stopping or could not store the request just now, and did not accept it; nothing was
/// stored. Answered with 503 and a <c>Retry-After</c> header so clients back off and retry instead of hammering.
/// </summary>
public sealed class ServiceUnavailableException(string message, TimeSpan retryAfter, Exception? innerException = null)
    : Exception(message, innerException)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
