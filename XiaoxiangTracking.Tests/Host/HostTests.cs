using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Host;

public class HostTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    [Theory]
    [InlineData("/health/live", "Healthy")]
    [InlineData("/health/ready", "{\"status\":\"Healthy\",\"checks\":[")]
    public async Task Health_endpoints_answer_healthy(string path, string bodyStart)
    {
        var response = await _client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().StartWith(bodyStart);
    }

    [Fact]
    public async Task The_favicon_is_served_to_anyone()
    {
        var anonymous = host.CreateDefaultClient();
        anonymous.DefaultRequestHeaders.Authorization = null;

        var response = await anonymous.GetAsync("/favicon.ico");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("image/x-icon");
        (await response.Content.ReadAsByteArrayAsync())[..4].Should().Equal(0, 0, 1, 0);
    }

    [Fact]
    public async Task Swagger_UI_is_served_at_swagger()
    {
        var response = await _client.GetAsync("/swagger/index.html");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_API_endpoint_with_summary_schemas_and_problems()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!.AsObject();
        var paths = document["paths"]!.AsObject();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                .Select(m => (Path: "/" + e.RoutePattern.RawText!.Trim('/'), Method: m.ToLowerInvariant(),
                    Name: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>()?.EndpointName)))
            .ToList();

        endpoints.Should().HaveCountGreaterThanOrEqualTo(7);
        // Swagger UI's "Authorize": a bearer scheme that every operation requires.
        document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>().Should().Be("bearer");
        document["security"]!.AsArray().Should().ContainSingle(requirement => requirement!.AsObject().ContainsKey("Bearer"));
        foreach (var (path, method, name) in endpoints)
        {
            var operation = paths[path]?[method];
            operation.Should().NotBeNull($"{method} {path} must be documented");
            operation!["summary"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace($"{method} {path} needs a summary");
            name.Should().NotBeNullOrWhiteSpace($"{method} {path} needs a name (WithName)");
            operation["operationId"]!.GetValue<string>().Should().Be(name);
            var responses = operation["responses"]!.AsObject();
            responses.Select(r => r.Key).Should().Contain(code => code.StartsWith('2'), $"{method} {path} documents success");
            foreach (var (code, response) in responses.Where(r => r.Key.StartsWith('2') && r.Key != "204"))
            {
                response!["content"]?["application/json"]?["schema"].Should().NotBeNull($"{method} {path} has a {code} response schema");
            }
            if (method == "post" && operation["requestBody"] is not null)
            {
                operation["requestBody"]!["content"]!["application/json"]!["schema"].Should().NotBeNull($"{method} {path} has a body schema");
                responses.Select(r => r.Key).Should().Contain("400", $"{method} {path} documents validation problems");
                responses["400"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>()
                    .Should().Be("#/components/schemas/HttpValidationProblemDetails", $"{method} {path} documents field errors");
            }
        }

        var schemas = document["components"]!["schemas"]!.AsObject();
        schemas["PlaceOrder"]!["properties"]!["customerId"]!["example"].Should().NotBeNull("request fields carry examples");
        schemas["OrderResponse"]!["properties"]!["status"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/OrderStatus");
        schemas["OrderStatus"]!["type"]!.GetValue<string>().Should().Be("integer", "status codes travel as numbers");
        schemas["OrderStatus"]!["enum"]!.AsArray().Select(v => v!.GetValue<int>()).Should().Equal(1, 2, 3, 4, 5);
        schemas.Select(s => s.Key).Should().NotContain(["GeometryFactory", "NtsGeometryServices", "Coordinate"],
            "trajectories are documented as GeoJSON, not as the geometry library's objects");
        var trajectory = paths["/api/orders/{id}/trajectory"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        trajectory["properties"]!["properties"]!["properties"]!["times"]!["items"]!["format"]!.GetValue<string>().Should().Be("date-time");
        paths["/api/orders/{id}/pay"]!["post"]!["parameters"]!.AsArray()
            .Should().Contain(p => p!["name"]!.GetValue<string>() == "Idempotency-Key");
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_json_404()
    {
        var response = await _client.GetAsync("/api/nothing-here");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public void The_root_appsettings_json_is_read_although_the_content_root_has_none()
    {
        var environment = host.Services.GetRequiredService<IHostEnvironment>();
        var configuration = host.Services.GetRequiredService<IConfiguration>();

        File.Exists(Path.Combine(environment.ContentRootPath, "appsettings.json")).Should().BeFalse();
        configuration["Orders:MaxPageSize"].Should().Be("100");
        configuration["Database:Provider"].Should().Be("Sqlite");
    }
}

public class SqliteDurabilityTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    [Fact]
    public async Task The_embedded_database_runs_in_WAL_mode_with_full_sync_and_a_busy_timeout()
    {
        host.CreateClient();

        var (journal, synchronous, busyTimeout) = await host.WithOrdersDb(async db =>
        {
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            async Task<string> Pragma(string name)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"PRAGMA {name};";
                return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
            }

            return (await Pragma("journal_mode"), await Pragma("synchronous"), await Pragma("busy_timeout"));
        });

        journal.Should().Be("wal");
        synchronous.Should().Be("2", "2 is FULL: a commit is on disk before the reply");
        busyTimeout.Should().Be("10000");
        File.Exists(host.DatabasePath).Should().BeTrue();
    }
}
