using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XiaoxiangTracking.Tests.Pages;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Operations;

/// <summary>Stopping the host (SIGTERM) while riders report: nothing acknowledged is lost, nothing half-answered.</summary>
public class GracefulShutdownTests
{
    [Fact]
    public async Task Every_report_acknowledged_before_or_during_shutdown_is_committed_and_the_rest_are_told_to_retry()
    {
        var port = PageHost.FreePort();
        using var host = new TrackingHostFactory().OnKestrel(port);
        var acknowledged = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<HttpStatusCode>();
        var stopRequested = new TaskCompletionSource();
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);

        async Task Ride(int rider)
        {
            using var client = host.ClientFor(TestCaller.Rider($"rider-stop-{rider:D2}"));
            client.BaseAddress = new Uri($"http://127.0.0.1:{port}");
            for (var i = 0; i < 10_000; i++)
            {
                var pointId = $"r{rider:D2}-{i:D5}";
                HttpResponseMessage response;
                try
                {
                    response = await client.PostAsJsonAsync("/api/tracking/positions", new JsonObject
                    {
                        ["pointId"] = pointId,
                        ["fixTime"] = start.AddMilliseconds(i * 20),
                        ["latitude"] = 31.22 + (rider * 0.001),
                        ["longitude"] = 121.54,
                        ["accuracy"] = 8,
                    });
                }
                catch (HttpRequestException)
                {
                    return; // The server has stopped listening: this report was never acknowledged.
                }

                if (response.IsSuccessStatusCode)
                {
                    acknowledged.Add(pointId);
                    if (acknowledged.Count >= 300)
                    {
                        stopRequested.TrySetResult();
                    }
                }
                else
                {
                    refused.Add(response.StatusCode);
                    return;
                }
            }
        }

        var riders = Enumerable.Range(1, 20).Select(r => Task.Run(() => Ride(r))).ToList();
        await stopRequested.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        // As behind a load balancer still sending traffic while it takes the instance out: the server keeps listening a
        // moment after stopping has begun, so reports do arrive at the stopping host (without it, whether any does is
        // a race with the listener's close).
        lifetime.ApplicationStopping.Register(() => Thread.Sleep(500));
        lifetime.StopApplication();
        await Task.WhenAll(riders).WaitAsync(TimeSpan.FromSeconds(60));

        refused.Should().OnlyContain(status => status == HttpStatusCode.ServiceUnavailable, "a stopping host asks to retry, it does not fail");
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT client_point_id FROM tracking_rider_positions";
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        acknowledged.Should().HaveCountGreaterThanOrEqualTo(300);
        stored.Should().Contain(acknowledged, "every 2xx means committed");
    }
}
