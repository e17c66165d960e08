using XiaoxiangTracking.Web.Errors;

namespace XiaoxiangTracking.Web.Hosting;

/// <summary>
/// Once the host begins to stop, new requests get 503 with Retry-After (clients retry, behind a load balancer on
/// another instance) while those already running finish. SignalR closes its connections at the same moment; without
/// this gate a client's immediate reconnect would open a new connection on the stopping host and hold its shutdown up.
/// </summary>
internal static class StoppingGate
{
    public static WebApplication UseStoppingGate(this WebApplication app)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use((context, next) => stopping.IsCancellationRequested ? RefuseAsync(context) : next(context));
        return app;
    }

    private static Task RefuseAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        context.Response.Headers.Connection = "close";
        return ProblemResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The server is stopping.",
            "This instance is shutting down; retry in a moment.", "stopping");
    }
}
