using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Tracking;

public class BatchOrderPropertyTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    /// <summary>
    /// A rider's ride: 1–12 fixes 15 s apart, each step up to ~60 m; about one fix in six has poor accuracy and one in
    /// six is a GPS outlier ~1.1 km off the path (rejected by the speed filter relative to its neighbours).
    /// </summary>
    private static readonly Gen<(double North, double East, int Kind)[]> Ride =
        Gen.Select(Gen.Double[-0.0005, 0.0005], Gen.Double[-0.0005, 0.0005], Gen.Int[0, 5]).Array[1, 12];

    private const int PoorAccuracy = 0;
    private const int Outlier = 1;

    [Fact]
    public async Task Any_permutation_or_duplication_of_a_batch_stores_the_same_fixes_and_the_same_latest_position()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var cases = Ride.SelectMany(ride => Gen.Int[0, ride.Length - 1].Array[0, 6].SelectMany(repeats =>
            Gen.Shuffle(Enumerable.Range(0, ride.Length).Concat(repeats).ToArray()).Select(order => (ride, order))));

        await cases.SampleAsync(
            async (ride, order) =>
            {
                var points = ride.Select((step, i) => Point(i, start.AddSeconds(15 * i), ride.Take(i + 1), step.Kind)).ToArray();
                var inOrder = RiderApp.NewRider();
                var shuffled = RiderApp.NewRider();

                await Send(inOrder, points);
                await Send(shuffled, [.. order.Select(i => points[i].DeepClone().AsObject())]);
                var storedOnce = await Stored(shuffled);
                await Send(shuffled, [.. order.Reverse().Select(i => points[i].DeepClone().AsObject())]);

                (await Stored(shuffled)).Should().Equal(await Stored(inOrder));
                (await Stored(shuffled)).Should().Equal(storedOnce, "re-sending stores nothing twice");
                (await Latest(shuffled)).Should().Be(await Latest(inOrder));
            },
            iter: 25,
            threads: 1);
    }

    private static JsonObject Point(int index, DateTimeOffset at, IEnumerable<(double North, double East, int Kind)> path, int kind) => new()
    {
        ["pointId"] = $"p{index}",
        ["fixTime"] = at,
        ["latitude"] = 31.2304 + path.Sum(s => s.North) + (kind == Outlier ? 0.01 : 0),
        ["longitude"] = 121.4737 + path.Sum(s => s.East),
        ["accuracy"] = kind == PoorAccuracy ? 500 : 8,
    };

    private async Task Send(string rider, JsonObject[] points)
    {
        var response = await _client.PostAsJsonAsync("/api/tracking/positions/batch",
            new JsonObject { ["riderId"] = rider, ["positions"] = new JsonArray(points) });
        response.EnsureSuccessStatusCode();
    }

    private async Task<List<string>> Stored(string rider)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        var rows = await db.RiderPositions.AsNoTracking().Where(p => p.RiderId == rider).OrderBy(p => p.FixTime).ToListAsync();
        return [.. rows.Select(p => $"{p.ClientPointId}@{p.FixTime:O} {p.Latitude:F7},{p.Longitude:F7}")];
    }

    private async Task<string?> Latest(string rider)
    {
        var response = await _client.GetAsync($"/api/tracking/riders/{rider}/position");
        return response.IsSuccessStatusCode ? (await response.ReadJsonAsync())["pointId"]!.GetValue<string>() : null;
    }
}
