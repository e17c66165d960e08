using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace XiaoxiangTracking.Bench;

/// <summary>What an overload burst did.</summary>
internal sealed record BacklogResult(
    double Offered, long Accepted, long Refused, long RefusedWithoutRetryAfter, long Failed, TimeSpan Drain, long Lost, long StoredUnacknowledged);

/// <summary>
/// An open-loop burst: reports fired on schedule at <c>perSecond</c> whether or not earlier ones were answered (as
/// thousands of phones do), for <c>duration</c>; then nothing more is offered. The backlog has drained when the last
/// outstanding request is answered. Every fix answered 2xx must be stored and no refused (503 + Retry-After) or failed
/// one may be.
/// </summary>
internal static class Backlog
{
    public static async Task<BacklogResult> RunAsync(HostProcess host, int riders, double perSecond, TimeSpan duration)
    {
        using var handler = HostRequests.Handler();
        var fleet = new Riders("bench-burst", riders);
        var clients = host.RiderClients(fleet, handler);
        var acknowledged = new ConcurrentDictionary<(string, string), byte>();
        long accepted = 0, refused = 0, refusedWithoutRetryAfter = 0, failed = 0;

        async Task Report(int rider)
        {
            var report = fleet.Next(rider);
            try
            {
                using var response = await clients[rider].PostJsonAsync("/api/tracking/positions", report);
                if (response.IsSuccessStatusCode)
                {
                    acknowledged[(report.RiderId, report.PointId)] = 0;
                    Interlocked.Increment(ref accepted);
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref refused);
                    if (response.Headers.RetryAfter is null)
                    {
                        Interlocked.Increment(ref refusedWithoutRetryAfter);
                    }
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref failed);
            }
        }

        var outstanding = new List<Task>();
        var clock = Stopwatch.StartNew();
        var total = (long)(perSecond * duration.TotalSeconds);
        for (long n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds(n / perSecond);
            if (due - clock.Elapsed is { } wait && wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            outstanding.Add(Report((int)(n % riders)));
        }

        var offeredUntil = clock.Elapsed;
        await Task.WhenAll(outstanding);
        var drain = clock.Elapsed - offeredUntil;

        var stored = new HashSet<(string, string)>();
        await using (var db = host.Data.OpenDatabase())
        {
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT rider_id, client_point_id FROM tracking_rider_positions WHERE rider_id LIKE 'bench-burst-%'";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        return new BacklogResult(total / offeredUntil.TotalSeconds, accepted, refused, refusedWithoutRetryAfter, failed, drain,
            acknowledged.Keys.Count(k => !stored.Contains(k)), stored.Count(k => !acknowledged.ContainsKey(k)));
    }
}
