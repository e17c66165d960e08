using Microsoft.AspNetCore.Http;

namespace XiaoxiangTracking.Web.Errors;

/// <summary>
/// Errors are problem+json whatever the request's <c>Accept</c> says. ASP.NET Core's own writer declines a request
/// that accepts neither JSON nor problem+json (a browser's <c>text/html</c>, an EventSource's <c>text/event-stream</c>),
/// and with no writer left an error became a 500 (or the developer page) instead of its own status. This writer lets
/// the framework's writer write every error, so the body, its <c>type</c>, <c>title</c> and <c>traceId</c> are the same
/// for every client.
/// </summary>
internal sealed class AnyAcceptProblemWriter(IProblemDetailsWriter framework) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context) => framework.WriteAsync(context);

    /// <summary>Puts this writer around the framework's, as the only one.</summary>
    public static IServiceCollection Replace(IServiceCollection services)
    {
        var framework = services.Single(d => d.ServiceType == typeof(IProblemDetailsWriter));
        var implementation = framework.ImplementationType
            ?? throw new InvalidOperationException("The framework's problem details writer is expected to be registered by type.");
        services.Remove(framework);
        services.AddSingleton<IProblemDetailsWriter>(provider =>
            new AnyAcceptProblemWriter((IProblemDetailsWriter)ActivatorUtilities.CreateInstance(provider, implementation)));
        return services;
    }
}
