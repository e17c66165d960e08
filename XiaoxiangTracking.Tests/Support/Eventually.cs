namespace XiaoxiangTracking.Tests.Support;

/// <summary>
/// Waiting for the host's own background work (the outbox dispatcher, the position writer): the probe is re-run every
/// few milliseconds for at most the timeout (10 s), then the test fails with a timeout.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task<T> Until<T>(Func<Task<T?>> probe, TimeSpan? timeout = null)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            try
            {
                await Task.Delay(5, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The condition was not met within {timeout ?? DefaultTimeout}.");
            }
        }
    }

    public static Task Until(Func<Task<bool>> condition, TimeSpan? timeout = null) =>
        Until(async () => await condition() ? string.Empty : null, timeout);

    public static Task Until(Func<bool> condition, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(condition()), timeout);
}
