using System.Net;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Outbox;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Orders;

public class ConcurrencyTests(TrackingHostFactory host) : IClassFixture<TrackingHostFactory>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Of_two_transitions_from_the_same_loaded_version_only_the_first_commit_wins()
    {
        var order = await _client.PlaceAsync();
        var id = order.Id();

        var act = () => host.WithOrdersDb(async first => await host.WithOrdersDb(async second =>
        {
            var a = await first.Orders.SingleAsync(o => o.Id == id);
            var b = await second.Orders.SingleAsync(o => o.Id == id);
            a.Pay("wx-a", a.TotalAmount, DateTimeOffset.UtcNow);
            b.Cancel("raced", DateTimeOffset.UtcNow);
            await first.SaveChangesAsync();
            await second.SaveChangesAsync();
        }));

        await act.Should().ThrowAsync<DbUpdateConcurrencyException>();
        var stored = await _client.GetAsync($"/api/orders/{id}");
        var json = await stored.ReadJsonAsync();
        json["status"]!.GetValue<int>().Should().Be(2);
        json["orderVersion"]!.GetValue<long>().Should().Be(2);
    }

    [Fact]
    public async Task Concurrent_payments_of_one_order_let_exactly_one_win_and_publish_once()
    {
        var order = await _client.PlaceAsync();
        var id = order.Id();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _client.PayAsync(id, order.Total(), $"wx-{i}")));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        responses.Where(r => r.StatusCode != HttpStatusCode.OK).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Conflict);
        // Payloads are stored encrypted: read them back, then look inside.
        var paidMessages = (await host.WithOrdersDb(db => db.Table<OutboxMessage>().Where(m => m.Type == typeof(OrderPaid).FullName).ToListAsync()))
            .Count(m => m.Payload.Contains(id, StringComparison.Ordinal));
        paidMessages.Should().Be(1);
        (await (await _client.GetAsync($"/api/orders/{id}")).ReadJsonAsync())["orderVersion"]!.GetValue<long>().Should().Be(2);
    }

    [Fact]
    public async Task A_concurrent_cancel_and_pick_never_both_succeed()
    {
        for (var round = 0; round < 5; round++)
        {
            var order = await _client.PlaceAsync();
            (await _client.PayAsync(order.Id(), order.Total())).EnsureSuccessStatusCode();

            var results = await Task.WhenAll(_client.CancelAsync(order.Id()), _client.PickedAsync(order.Id()));

            results.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
            results.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(1);
        }
    }

    [Fact]
    public async Task A_failed_save_is_left_to_whoever_handles_it_and_not_logged_as_an_error_by_the_database_layer()
    {
        await using var logged = new TrackingHostFactory().CaptureLogs();
        var client = logged.CreateClient();
        var id = (await client.PlaceAsync()).Id();

        // As when two alert rules raise the same alert at once: the unique index refuses the second, which its caller
        // expects and handles. Such races must not each leave a "fail" line in the logs.
        var act = () => logged.WithOrdersDb(async db =>
        {
            var order = await db.Orders.SingleAsync(o => o.Id == id);
            db.Entry(order).State = EntityState.Added;
            await db.SaveChangesAsync();
        });

        await act.Should().ThrowAsync<DbUpdateException>();
        var failedSaves = logged.Logs!.Messages
            .Where(m => m.Contains("Microsoft.EntityFrameworkCore.Update:", StringComparison.Ordinal) && m.Contains("saving changes", StringComparison.Ordinal))
            .ToList();
        failedSaves.Should().NotBeEmpty("the failure is still there for whoever traces the database layer");
        failedSaves.Should().OnlyContain(m => m.StartsWith("Debug ", StringComparison.Ordinal));
    }
}
