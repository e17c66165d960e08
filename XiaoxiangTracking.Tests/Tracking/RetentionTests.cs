using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Tracking.Features.Retention;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Tracking;

/// <summary>Old rider positions are purged in batches by a recurring job; recent ones and each rider's latest stay.</summary>
public class RetentionTests
{
    [Fact]
    public async Task Positions_older_than_the_retention_age_are_purged_in_batches_and_recent_ones_stay()
    {
        // Kept for two days; fixes five days old are still accepted (an offline buffer may be ten days old here).
        using var host = new TrackingHostFactory().With("Tracking:Retention:KeepPositionsFor", "2.00:00:00")
            .With("Tracking:Retention:BatchSize", "100").With("Tracking:Filters:MaxAge", "10.00:00:00");
        var start = DateTimeOffset.UtcNow.AddDays(-5);
        const string rider = "rider-retention";
        var old = Enumerable.Range(0, 250).Select(i => Fix($"old-{i}", start.AddSeconds((i * 15) - 3800))).ToArray();
        (await host.ClientFor(TestCaller.Rider(rider)).PostAsJsonAsync("/api/tracking/positions/batch", new JsonObject { ["positions"] = new JsonArray(old) }))
            .EnsureSuccessStatusCode();

        var app = host.ClientFor(TestCaller.Rider(rider));
        for (var i = 0; i < 3; i++)
        {
            await app.ReportAsync(rider, (31.22, 121.54), DateTimeOffset.UtcNow.AddSeconds(-45 + (i * 15)));
        }

        int deleted;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            deleted = await scope.ServiceProvider.GetRequiredService<PositionRetention>().RunAsync(CancellationToken.None);
        }

        deleted.Should().Be(250, "three batches of at most 100");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
            (await db.RiderPositions.CountAsync(p => p.RiderId == rider)).Should().Be(3);
        }

        (await app.GetAsync($"/api/tracking/riders/{rider}/position")).EnsureSuccessStatusCode();
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        connection.GetRecurringJobs().Select(j => j.Id).Should().Contain(PositionRetention.RecurringJobId);
    }

    private static JsonObject Fix(string pointId, DateTimeOffset at) => new()
    {
        ["pointId"] = pointId,
        ["fixTime"] = at,
        ["latitude"] = 31.22,
        ["longitude"] = 121.54,
        ["accuracy"] = 8,
    };
}
