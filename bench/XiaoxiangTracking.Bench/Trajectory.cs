using System.Diagnostics;
using System.Net.Http.Json;

namespace XiaoxiangTracking.Bench;

/// <summary>
/// A two-hour delivery's path: 480 fixes 15 s apart after the hand-over, read back through
/// <c>GET /api/orders/{id}/trajectory</c> one request at a time, whole and simplified to 10 m.
/// </summary>
internal static class Trajectory
{
    public const int Points = 480;

    public static async Task<(Samples Whole, Samples Simplified, int Returned)> RunAsync(HostProcess host, HttpMessageHandler handler, int reads, TimeSpan warmUp)
    {
        var ops = host.Client("ops", "bench-path-ops", handler);
        const string rider = "bench-path-rider";
        var orderId = await Scenario.DeliveringOrderAsync(ops, rider, "c-bench-path");

        // Set-up only: once tracking has recorded the hand-over (just now, through the outbox), move the order's timeline
        // two hours back so that fixes of the last two hours (a server accepts fixes up to a day old) fall after it.
        await using (var db = host.Data.OpenDatabase(readOnly: false))
        {
            await using var command = db.CreateCommand();
            command.Parameters.AddWithValue("$shift", TimeSpan.FromHours(2).Ticks + TimeSpan.FromMinutes(1).Ticks);
            command.Parameters.AddWithValue("$id", orderId);
            command.CommandText = "SELECT COUNT(*) FROM tracking_order_tracking WHERE order_id = $id AND event_type = 'RiderAssigned'";
            var deadline = Stopwatch.StartNew();
            while ((long)(await command.ExecuteScalarAsync())! == 0)
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("Tracking did not record the hand-over within 30 s.");
                }

                await Task.Delay(50);
            }

            command.CommandText = "UPDATE tracking_order_tracking SET created_at = created_at - $shift WHERE order_id = $id";
            await command.ExecuteNonQueryAsync();
        }

        var start = DateTimeOffset.UtcNow.AddHours(-2);
        var phone = host.Client("rider", rider, handler);
        var fixes = Enumerable.Range(0, Points).Select(i => new
        {
            pointId = $"path-{i}",
            fixTime = start.AddSeconds(15 * i),
            // A wandering street path, about 3 m/s, so that simplification has something to remove.
            latitude = 31.20 + (i * 4e-4) + (Math.Sin(i / 7.0) * 1e-4),
            longitude = 121.45 + (Math.Cos(i / 5.0) * 2e-4),
            accuracy = 8,
        }).ToArray();
        (await phone.PostAsJsonAsync("/api/tracking/positions/batch", new { riderId = rider, positions = fixes })).EnsureSuccessStatusCode();

        var whole = new Samples();
        var simplified = new Samples();
        var returned = 0;
        async Task ReadAsync(Samples? samples, int tolerance)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await ops.GetAsync($"/api/orders/{orderId}/trajectory?tolerance={tolerance}");
            var body = await response.Content.ReadAsStringAsync();
            samples?.Add(Samples.Since(started));
            response.EnsureSuccessStatusCode();
            if (tolerance == 0)
            {
                returned = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("geometry").GetProperty("coordinates").GetArrayLength();
            }
        }

        // Unmeasured reads first, as every phase warms up.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < warmUp)
        {
            await ReadAsync(null, 0);
            await ReadAsync(null, 10);
        }

        for (var i = 0; i < reads; i++)
        {
            await ReadAsync(whole, 0);
            await ReadAsync(simplified, 10);
        }

        return (whole, simplified, returned);
    }
}
