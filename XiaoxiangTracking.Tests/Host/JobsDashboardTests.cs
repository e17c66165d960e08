using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Host;

public class JobsDashboardTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("customer", HttpStatusCode.Forbidden)]
    [InlineData("warehouse", HttpStatusCode.Forbidden)]
    [InlineData("ops", HttpStatusCode.OK)]
    public async Task The_jobs_dashboard_is_for_ops(string? role, HttpStatusCode expected)
    {
        host.CreateClient();

        var context = await Dashboard(host, "127.0.0.1", role is null ? null : host.TokenFor(new TestCaller(role, "someone", "wh-1")));

        ((HttpStatusCode)context.Response.StatusCode).Should().Be(expected);
    }

    [Theory]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("::1", HttpStatusCode.OK)]
    [InlineData("10.20.30.40", HttpStatusCode.Unauthorized)]
    [InlineData("203.0.113.9", HttpStatusCode.Unauthorized)]
    public async Task In_development_the_dashboard_answers_only_requests_from_this_machine(string remoteAddress, HttpStatusCode expected)
    {
        using var development = new TrackingHostFactory().InEnvironment("Development");
        development.CreateClient();

        var context = await Dashboard(development, remoteAddress, token: null);

        ((HttpStatusCode)context.Response.StatusCode).Should().Be(expected);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task In_development_a_remote_caller_claiming_to_be_local_in_a_forwarded_header_is_not(string claimed)
    {
        using var development = new TrackingHostFactory().InEnvironment("Development");
        development.CreateClient();

        var context = await development.Server.SendAsync(request =>
        {
            request.Request.Method = HttpMethods.Get;
            request.Request.Path = "/hangfire";
            request.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
            request.Connection.LocalIpAddress = IPAddress.Parse("10.0.0.5");
            request.Request.Headers["X-Forwarded-For"] = claimed;
        });

        ((HttpStatusCode)context.Response.StatusCode).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void Each_host_stores_and_runs_its_own_jobs()
    {
        using var other = new TrackingHostFactory();
        other.CreateClient();
        host.CreateClient();

        var mine = host.Services.GetRequiredService<Hangfire.JobStorage>();
        var theirs = other.Services.GetRequiredService<Hangfire.JobStorage>();

        mine.Should().NotBeSameAs(theirs);
        host.Services.GetRequiredService<Hangfire.JobActivator>().Should().NotBeSameAs(other.Services.GetRequiredService<Hangfire.JobActivator>());
    }

    private static Task<HttpContext> Dashboard(TrackingHostFactory host, string remoteAddress, string? token) =>
        host.Server.SendAsync(request =>
        {
            request.Request.Method = HttpMethods.Get;
            request.Request.Path = "/hangfire";
            request.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
            request.Connection.LocalIpAddress = IPAddress.Parse("10.0.0.5");
            if (token is not null)
            {
                request.Request.Headers.Authorization = $"Bearer {token}";
            }
        });
}
