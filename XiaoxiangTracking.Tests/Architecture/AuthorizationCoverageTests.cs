using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Notifications.Hub;
using XiaoxiangTracking.Modules.Shared.Security;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Architecture;

/// <summary>
/// Every endpoint and every hub method names the policy that admits its callers; the few that anyone may call are
/// listed here by name. Each check is also run once against something that breaks it, so it cannot pass by checking
/// nothing.
/// </summary>
public class AuthorizationCoverageTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    /// <summary>Called without a token: probes from the orchestrator.</summary>
    // The live pages are static files that carry no data (they call the API with the user's token, or the share
    // link's, whose page answers 404 unless the link holds).
    private static readonly string[] Anonymous = ["/health/live", "/health/ready", "/metrics", "/track/{orderId}", "/ops", "/replay/{orderId}", "/t/{token}", "/pages/settings"];

    [Fact]
    public void Every_endpoint_of_the_host_names_a_known_policy_or_is_listed_as_anonymous()
    {
        host.CreateClient();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        endpoints.Should().HaveCountGreaterThan(25, "the modules' endpoints, the hub and the dashboard are all mapped");
        Unguarded(endpoints).Should().BeEmpty();
        endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText).Should().BeEquivalentTo(Anonymous);
    }

    [Fact]
    public void The_endpoint_check_finds_an_endpoint_without_a_policy()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddRouting();
        var app = builder.Build();
        app.MapGet("/open", () => "anyone");
        app.MapGet("/guarded", () => "ops").RequireAuthorization(Policies.Ops);
        app.MapGet("/unknown-policy", () => "?").RequireAuthorization("no-such-policy");
        app.MapGet("/probe", () => "ok").AllowAnonymous();
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();

        Unguarded(endpoints).Should().BeEquivalentTo("/open", "/unknown-policy", "/probe");
    }

    [Fact]
    public void Every_hub_method_names_a_known_policy()
    {
        Unguarded(typeof(TrackingHub)).Should().BeEmpty();
        // Connecting takes any role's token or a share link's; each method then names its own policy.
        typeof(TrackingHub).GetCustomAttributes<AuthorizeAttribute>().Should().ContainSingle(a => a.Policy == Policies.Watchers);
    }

    [Fact]
    public void The_hub_method_check_finds_a_method_without_a_policy()
    {
        Unguarded(typeof(UnguardedHub)).Should().BeEquivalentTo(nameof(UnguardedHub.Open));
    }

    /// <summary>Endpoints with neither a known policy nor the listed anonymous exemption.</summary>
    private static IEnumerable<string?> Unguarded(IEnumerable<RouteEndpoint> endpoints) =>
        endpoints
            .Where(e => !HasKnownPolicy(e.Metadata.GetOrderedMetadata<IAuthorizeData>())
                && !(e.Metadata.GetMetadata<IAllowAnonymous>() is not null && Anonymous.Contains(e.RoutePattern.RawText)))
            .Select(e => e.RoutePattern.RawText);

    private static IEnumerable<string> Unguarded(Type hub) =>
        hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.Name is not (nameof(Microsoft.AspNetCore.SignalR.Hub.OnConnectedAsync) or nameof(Microsoft.AspNetCore.SignalR.Hub.OnDisconnectedAsync)))
            .Where(m => !HasKnownPolicy(m.GetCustomAttributes<AuthorizeAttribute>()))
            .Select(m => m.Name);

    private static bool HasKnownPolicy(IEnumerable<IAuthorizeData> data) =>
        data.Any(d => d.Policy is not null && Policies.RolesOf.ContainsKey(d.Policy));

    private sealed class UnguardedHub : Microsoft.AspNetCore.SignalR.Hub
    {
        [Authorize(Policy = Policies.Ops)]
        public string Guarded() => Context.ConnectionId;

        public string Open() => Context.ConnectionId;
    }
}
