using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Ingest;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Tracking;

public class PositionIngestTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task An_accepted_report_is_committed_when_the_reply_arrives_and_becomes_the_latest_position()
    {
        var rider = RiderApp.NewRider();
        var at = DateTimeOffset.UtcNow.AddSeconds(-5);

        var response = await _client.PostAsJsonAsync("/api/tracking/positions", Report(rider, "p1", at, 31.2304, 121.4737));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.ReadJsonAsync())["outcome"]!.GetValue<string>().Should().Be("accepted");
        (await StoredCount(rider)).Should().Be(1);
        var latest = await _client.GetFromJsonAsync<JsonObject>($"/api/tracking/riders/{rider}/position");
        latest!["pointId"]!.GetValue<string>().Should().Be("p1");
        latest["geohash"]!.GetValue<string>().Should().Be("wtw3sjq6q");
    }

    [Theory]
    [InlineData("rider-1\n")]
    [InlineData("rider 1")]
    [InlineData("骑手-1")]
    [InlineData("rider-1;")]
    public async Task A_rider_id_of_anything_but_letters_digits_underscores_and_dashes_is_a_400_on_riderId_and_stores_nothing(string riderId)
    {
        var response = await _client.PostAsJsonAsync("/api/tracking/positions", Report(riderId, "p1", DateTimeOffset.UtcNow.AddSeconds(-5), 31.2304, 121.4737));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("riderId");
        (await StoredCount(riderId)).Should().Be(0);
    }

    [Fact]
    public async Task An_empty_rider_id_is_one_error_saying_so()
    {
        var response = await _client.PostAsJsonAsync("/api/tracking/positions", Report("", "p1", DateTimeOffset.UtcNow.AddSeconds(-5), 31.2304, 121.4737));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync())["errors"]!["riderId"]!.AsArray().Select(e => e!.GetValue<string>());
        errors.Should().Equal("'riderId' must not be empty.");
    }

    [Fact]
    public async Task A_rejected_report_is_422_with_its_reason_and_is_not_stored()
    {
        var rider = RiderApp.NewRider();

        var response = await _client.PostAsJsonAsync("/api/tracking/positions", Report(rider, "p1", DateTimeOffset.UtcNow, 0, 0));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.ReadJsonAsync())["reason"]!.GetValue<string>().Should().Be("ZeroCoordinates");
        (await StoredCount(rider)).Should().Be(0);
        (await _client.GetAsync($"/api/tracking/riders/{rider}/position")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_batch_reply_lists_each_fix_in_request_order_with_its_outcome()
    {
        var rider = RiderApp.NewRider();
        var t = DateTimeOffset.UtcNow.AddMinutes(-10);
        var batch = Batch(rider,
            Point("a", t, 31.2304, 121.4737),
            Point("b", t.AddSeconds(15), 91, 121.4737),
            Point("c", t.AddSeconds(30), 31.2310, 121.4740, accuracy: 500),
            Point("a", t.AddSeconds(45), 31.2312, 121.4741),
            Point("d", t.AddSeconds(60), 31.2315, 121.4745),
            Point("e", t.AddSeconds(61), 31.2600, 121.4745));

        var response = await _client.PostAsJsonAsync("/api/tracking/positions/batch", batch);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var reply = await response.ReadJsonAsync();
        reply["results"]!.AsArray().Select(r => (r!["pointId"]!.GetValue<string>(), r["outcome"]!.GetValue<string>(), r["reason"]?.GetValue<string>()))
            .Should().Equal(
                ("a", "accepted", null),
                ("b", "rejected", "InvalidCoordinates"),
                ("c", "rejected", "PoorAccuracy"),
                ("a", "duplicate", null),
                ("d", "accepted", null),
                ("e", "rejected", "ImplausibleSpeed"));
        (reply["accepted"]!.GetValue<int>(), reply["duplicates"]!.GetValue<int>(), reply["rejected"]!.GetValue<int>())
            .Should().Be((2, 1, 3));
        (await StoredCount(rider)).Should().Be(2);
    }

    [Fact]
    public async Task A_fix_is_its_rider_and_instant_so_a_retry_or_another_report_of_that_instant_is_a_duplicate()
    {
        var rider = RiderApp.NewRider();
        var t = DateTimeOffset.UtcNow.AddMinutes(-3);

        async Task<string> Send(string pointId, DateTimeOffset at, double latitude)
        {
            var response = await _client.PostAsJsonAsync("/api/tracking/positions", Report(rider, pointId, at, latitude, 121.4737));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            return (await response.ReadJsonAsync())["outcome"]!.GetValue<string>();
        }

        (await Send("x1", t, 31.2304)).Should().Be("accepted");
        (await Send("x1", t, 31.2304)).Should().Be("duplicate", "a retry re-sends the same fix");
        (await Send("x2", t, 31.2305)).Should().Be("duplicate", "one fix per rider per instant");
        (await Send("x1", t.AddSeconds(15), 31.2306)).Should().Be("accepted", "a point id names a fix; another instant is another fix");

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        (await db.RiderPositions.Where(p => p.RiderId == rider).OrderBy(p => p.FixTime).Select(p => new { p.ClientPointId, p.Latitude }).ToListAsync())
            .Select(p => (p.ClientPointId, p.Latitude)).Should().Equal(("x1", 31.2304), ("x1", 31.2306));
    }

    [Fact]
    public async Task Resending_the_same_batch_stores_nothing_twice()
    {
        var rider = RiderApp.NewRider();
        var t = DateTimeOffset.UtcNow.AddMinutes(-5);
        var batch = Batch(rider, Point("1", t, 31.2304, 121.4737), Point("2", t.AddSeconds(15), 31.2306, 121.4739));

        var first = await (await _client.PostAsJsonAsync("/api/tracking/positions/batch", batch)).ReadJsonAsync();
        var again = await (await _client.PostAsJsonAsync("/api/tracking/positions/batch", batch)).ReadJsonAsync();

        first["accepted"]!.GetValue<int>().Should().Be(2);
        again["accepted"]!.GetValue<int>().Should().Be(0);
        again["duplicates"]!.GetValue<int>().Should().Be(2);
        (await StoredCount(rider)).Should().Be(2);
    }

    [Fact]
    public async Task A_late_batch_of_older_fixes_extends_the_trajectory_but_never_moves_the_latest_position_back()
    {
        var rider = RiderApp.NewRider();
        var now = DateTimeOffset.UtcNow;
        (await _client.PostAsJsonAsync("/api/tracking/positions", Report(rider, "live", now.AddSeconds(-1), 31.2400, 121.4800)))
            .EnsureSuccessStatusCode();

        var late = Batch(rider,
            Point("old-2", now.AddMinutes(-9), 31.2310, 121.4740),
            Point("old-1", now.AddMinutes(-10), 31.2304, 121.4737),
            Point("old-3", now.AddMinutes(-8), 31.2316, 121.4745));
        var reply = await (await _client.PostAsJsonAsync("/api/tracking/positions/batch", late)).ReadJsonAsync();

        reply["accepted"]!.GetValue<int>().Should().Be(3);
        (await StoredCount(rider)).Should().Be(4);
        var latest = await _client.GetFromJsonAsync<JsonObject>($"/api/tracking/riders/{rider}/position");
        latest!["pointId"]!.GetValue<string>().Should().Be("live");
    }

    [Fact]
    public async Task A_batch_over_the_limit_or_without_a_rider_is_400_with_field_errors()
    {
        var t = DateTimeOffset.UtcNow.AddMinutes(-5);
        var tooMany = Batch(RiderApp.NewRider(), [.. Enumerable.Range(0, 501).Select(i => Point($"p{i}", t.AddSeconds(i), 31.23, 121.47))]);
        var noRider = Batch("", Point("p", t, 31.23, 121.47));
        noRider["positions"]![0]!["pointId"] = "";

        var over = await _client.PostAsJsonAsync("/api/tracking/positions/batch", tooMany);
        var invalid = await _client.PostAsJsonAsync("/api/tracking/positions/batch", noRider);

        over.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await over.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("positions");
        (await invalid.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("riderId", "positions[0].pointId");
    }

    private async Task<int> StoredCount(string rider)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        return await db.RiderPositions.CountAsync(p => p.RiderId == rider);
    }

    internal static JsonObject Report(string rider, string pointId, DateTimeOffset at, double latitude, double longitude) => new()
    {
        ["riderId"] = rider,
        ["pointId"] = pointId,
        ["fixTime"] = at,
        ["latitude"] = latitude,
        ["longitude"] = longitude,
        ["accuracy"] = 8,
    };

    private static JsonObject Point(string pointId, DateTimeOffset at, double latitude, double longitude, double accuracy = 8) => new()
    {
        ["pointId"] = pointId,
        ["fixTime"] = at,
        ["latitude"] = latitude,
        ["longitude"] = longitude,
        ["accuracy"] = accuracy,
    };

    private static JsonObject Batch(string rider, params JsonObject[] points) => new()
    {
        ["riderId"] = rider,
        ["positions"] = new JsonArray([.. points]),
    };
}

public class PositionBackPressureTests
{
    [Fact]
    public async Task A_commit_that_cannot_get_the_database_answers_503_with_Retry_After_stores_nothing_and_the_retry_is_stored()
    {
        // SQLite waits for a lock about a second at the least setting (200 ms busy timeout, 1 s command timeout).
        using var host = new TrackingHostFactory().With("Database:SqliteBusyTimeoutMilliseconds", "200");
        var client = host.CreateClient();
        var rider = RiderApp.NewRider();
        var now = DateTimeOffset.UtcNow;
        // The writer's connection is open and kept from here on.
        (await client.PostAsJsonAsync("/api/tracking/positions", PositionIngestTests.Report(rider, "1", now.AddSeconds(-30), 31.2304, 121.4737)))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        await using var blocker = new SqliteConnection($"Data Source={host.DatabasePath}");
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;"; // another process holds SQLite's write lock past the timeout
            await begin.ExecuteNonQueryAsync();
        }

        var second = PositionIngestTests.Report(rider, "2", now.AddSeconds(-15), 31.2305, 121.4738);
        var refused = await client.PostAsJsonAsync("/api/tracking/positions", second);

        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        (await refused.ReadJsonAsync())["code"]!.GetValue<string>().Should().Be("service_unavailable");

        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        var retried = await client.PostAsJsonAsync("/api/tracking/positions", second);

        retried.StatusCode.Should().Be(HttpStatusCode.OK);
        (await retried.ReadJsonAsync())["outcome"]!.GetValue<string>().Should().Be("accepted", "the refused attempt stored nothing");
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackingDbContext>();
        (await db.RiderPositions.Where(p => p.RiderId == rider).OrderBy(p => p.FixTime).Select(p => p.ClientPointId).ToListAsync())
            .Should().Equal("1", "2");
    }

    [Fact]
    public async Task When_the_queue_is_full_reports_get_503_with_Retry_After_and_no_reply_precedes_its_commit()
    {
        using var host = new TrackingHostFactory().With("Tracking:Ingest:QueueCapacity", "1");
        var client = host.CreateClient();
        (await client.GetAsync("/health/ready")).EnsureSuccessStatusCode();
        var writer = host.Services.GetRequiredService<PositionWriter>();
        var rider = RiderApp.NewRider();
        var now = DateTimeOffset.UtcNow;

        // Another process holds SQLite's write lock: nothing can commit until it lets go.
        await using var blocker = new SqliteConnection($"Data Source={host.DatabasePath}");
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();
        }

        var committing = client.PostAsJsonAsync("/api/tracking/positions", PositionIngestTests.Report(rider, "1", now.AddSeconds(-30), 31.2304, 121.4737));
        await Eventually.Until(() => writer.Committing == 1 && writer.QueueDepth == 0); // taken by the writer, stuck in its commit
        var queued = client.PostAsJsonAsync("/api/tracking/positions", PositionIngestTests.Report(rider, "2", now.AddSeconds(-15), 31.2305, 121.4738));
        await Eventually.Until(() => writer.QueueDepth == 1);

        var refused = await client.PostAsJsonAsync("/api/tracking/positions", PositionIngestTests.Report(rider, "3", now, 31.2306, 121.4739));

        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        (await refused.ReadJsonAsync())["code"]!.GetValue<string>().Should().Be("service_unavailable");
        committing.IsCompleted.Should().BeFalse("no reply may come before its commit");
        queued.IsCompleted.Should().BeFalse();

        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        (await committing).StatusCode.Should().Be(HttpStatusCode.OK);
        (await queued).StatusCode.Should().Be(HttpStatusCode.OK);
        var latest = await client.GetFromJsonAsync<JsonObject>($"/api/tracking/riders/{rider}/position");
        latest!["pointId"]!.GetValue<string>().Should().Be("2", "the refused report 3 was never stored");
    }

    [Fact]
    public async Task The_writer_answers_a_commit_or_its_failure_on_a_pool_thread_never_on_its_own()
    {
        using var host = new TrackingHostFactory().With("Database:SqliteBusyTimeoutMilliseconds", "200");
        (await host.CreateClient().GetAsync("/health/ready")).EnsureSuccessStatusCode();
        var writer = host.Services.GetRequiredService<PositionWriter>();
        var rider = RiderApp.NewRider();
        var now = DateTimeOffset.UtcNow;

        // Whatever the awaiting request does next runs where its task is completed (ExecuteSynchronously shows where).
        static Task<(bool[]? Stored, Exception? Failed, string? Thread, bool OnPool)> AnsweredOn(Task<bool[]> write) =>
            write.ContinueWith(
                t => (t.IsCompletedSuccessfully ? t.Result : null, t.Exception?.InnerException, Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread),
                TaskContinuationOptions.ExecuteSynchronously);
        RiderPosition Fix(string point, int secondsAgo) =>
            new(new PositionFix(rider, point, now.AddSeconds(-secondsAgo), 31.2304, 121.4737, null, null, null), now);

        var committed = await AnsweredOn(writer.WriteAsync([Fix("1", 30), Fix("1", 30)], CancellationToken.None));

        committed.Stored.Should().Equal([true, false], "the second is the same fix again");
        committed.OnPool.Should().BeTrue();
        committed.Thread.Should().NotBe("Position writer");

        await using var blocker = new SqliteConnection($"Data Source={host.DatabasePath}");
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;"; // the commit cannot get the database
            await begin.ExecuteNonQueryAsync();
        }

        var failed = await AnsweredOn(writer.WriteAsync([Fix("2", 15)], CancellationToken.None));

        failed.Failed.Should().BeOfType<ServiceUnavailableException>();
        failed.OnPool.Should().BeTrue();
        failed.Thread.Should().NotBe("Position writer");
    }
}

public class PositionFilterRestartTests
{
    [Fact]
    public async Task After_a_restart_riders_who_reported_within_the_hour_are_filtered_against_their_latest_fix_loaded_at_start()
    {
        using var dataFolder = new TestFolder();
        var recent = RiderApp.NewRider();
        var silent = RiderApp.NewRider();
        var now = DateTimeOffset.UtcNow;
        var recentFix = now.AddMinutes(-10);
        using (var first = new TrackingHostFactory(dataFolder))
        {
            var client = first.CreateClient();
            (await client.PostAsJsonAsync("/api/tracking/positions", PositionIngestTests.Report(recent, "1", recentFix, 31.2304, 121.4737)))
                .StatusCode.Should().Be(HttpStatusCode.OK);
            (await client.PostAsJsonAsync("/api/tracking/positions", PositionIngestTests.Report(silent, "1", now.AddHours(-2), 31.2304, 121.4737)))
                .StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var second = new TrackingHostFactory(dataFolder);
        var restarted = second.CreateClient();
        var latest = second.Services.GetRequiredService<LatestFixes>();

        // Loaded beside the first commits, before any report of these riders reached this host.
        await Eventually.Until(() => latest.Count > 0);
        latest.TryGetBefore(recent, now, out var held).Should().BeTrue();
        held.Should().Be(new FixPoint(recentFix, 31.2304, 121.4737));
        latest.TryGetBefore(silent, now, out _).Should().BeFalse("a rider silent for over an hour is read when it reports again");

        // 111 km in ten minutes from the loaded fix: not an e-bike.
        var jump = await restarted.PostAsJsonAsync("/api/tracking/positions", PositionIngestTests.Report(recent, "2", now, 32.2304, 121.4737));
        jump.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await jump.ReadJsonAsync())["reason"]!.GetValue<string>().Should().Be("ImplausibleSpeed");
    }
}
