using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Domain;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Shared.Outbox;
using XiaoxiangTracking.Modules.Shared.Persistence;
using XiaoxiangTracking.Tests.Support;
using XiaoxiangTracking.Web.Security;
using XiaoxiangTracking.Web.Security.Persistence;

namespace XiaoxiangTracking.Tests.Orders;

public class OutboxTests
{
    [Fact]
    public async Task A_notification_committed_but_never_published_before_a_crash_is_published_at_the_next_start()
    {
        using var folder = new TestFolder();
        // A first run creates the schema; keep its registry to write outbox rows the way the host does.
        NotificationTypeRegistry registry;
        using (var firstRun = new TrackingHostFactory(folder).WithOwnKeyRing())
        {
            firstRun.CreateClient();
            registry = firstRun.Services.GetRequiredService<NotificationTypeRegistry>();
        }

        // The "crashed" process: the order and its outbox row commit together, and nothing dispatches them.
        var options = new DbContextOptionsBuilder<SqliteOrdersDbContext>();
        ModuleDatabase.Configure(options, new DatabaseOptions { DataFolder = folder }, folder, OrdersDbContext.Schema);
        options.AddInterceptors(new OutboxInterceptor(registry, new OutboxSignal(), TimeProvider.System));
        // The same application's key ring, as another process of it reads it from the database.
        await using var keyRing = new ServiceCollection()
            .AddDbContext<SecurityDbContext, SqliteSecurityDbContext>(o =>
                ModuleDatabase.Configure(o, new DatabaseOptions { DataFolder = folder }, folder, SecurityDbContext.Schema))
            .AddDataProtection().SetApplicationName(SecurityDatabase.DataProtectionApplicationName).PersistKeysToDbContext<SecurityDbContext>()
            .Services.BuildServiceProvider();
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(
            new ColumnProtectionExtension(keyRing.GetRequiredService<IDataProtectionProvider>()));
        string orderId;
        await using (var crashed = new SqliteOrdersDbContext(options.Options))
        {
            var order = Order.Place("c-crash", [("SKU-1", "鸡蛋", 1, 9.90m)],
                new DeliveryAddress("世纪大道100号", new GeoCoordinate(31.23, 121.47), null, null),
                "wh-1", new GeoCoordinate(31.22, 121.54), DateTimeOffset.UtcNow.AddMinutes(30), DateTimeOffset.UtcNow);
            crashed.Orders.Add(order);
            await crashed.SaveChangesAsync();
            orderId = order.Id;
            (await crashed.Set<OutboxMessage>().CountAsync(m => m.ProcessedAt == null)).Should().Be(1);
        }

        using var restarted = new TrackingHostFactory(folder).WithOwnKeyRing();
        restarted.CreateClient();

        var published = await restarted.Notifications.WaitFor<OrderPlaced>(n => n.OrderId == orderId);
        published.Version.Should().Be(1);
        published.CustomerId.Should().Be("c-crash");
        await Eventually.Until(() => restarted.WithOrdersDb(db => db.Table<OutboxMessage>().AllAsync(m => m.ProcessedAt != null)));
    }

    [Fact]
    public async Task A_handler_failure_leaves_the_message_for_a_retry_that_then_publishes_it()
    {
        var flaky = new FailsOnce();
        using var baseHost = new TrackingHostFactory().With("Outbox:PollInterval", "00:00:00.100");
        using var host = baseHost.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSingleton<INotificationHandler<OrderPlaced>>(flaky)));
        var client = host.CreateClient();

        var order = await client.PlaceAsync();

        await flaky.Retried.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var message = await Eventually.Until(() => baseHost.WithOrdersDb(async db =>
            (await db.Table<OutboxMessage>().ToListAsync()).Single(m => m.Payload.Contains(order.Id(), StringComparison.Ordinal)) is { ProcessedAt: not null } m ? m : null));
        message.Attempts.Should().Be(1);
        message.LastError.Should().Contain("downstream unavailable");
    }

    private sealed class FailsOnce : INotificationHandler<OrderPlaced>
    {
        private int _calls;

        public TaskCompletionSource Retried { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask Handle(OrderPlaced notification, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                throw new InvalidOperationException("downstream unavailable");
            }

            Retried.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
