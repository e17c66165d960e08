using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Persistence;
using XiaoxiangTracking.Modules.Orders.Settings;

namespace XiaoxiangTracking.Modules.Orders.Features.ExpireUnpaidOrders;

/// <summary>
/// The recurring payment expiry (<see cref="OrdersOptions.PaymentExpiryCron"/>): orders still waiting for payment
/// <see cref="OrdersOptions.PaymentTimeout"/> after they were placed are cancelled (1 → 5) with the reason, which
/// publishes <c>OrderCancelled</c> like any cancellation. An order paid at the same moment wins the race (its version
/// changed) and is left alone. Running twice changes nothing more.
/// </summary>
internal sealed class ExpireUnpaidOrders(
    OrdersDbContext db, IOptions<OrdersOptions> options, TimeProvider clock, ILogger<ExpireUnpaidOrders> logger)
{
    public const string RecurringJobId = "orders-payment-expiry";
    public const string Reason = "Payment not received in time (未在规定时间内支付)";
    private const int BatchSize = 200;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var placedBefore = now - options.Value.PaymentTimeout;
        var expired = await db.Orders
            .Where(o => o.Status == OrderStatus.PendingPayment && o.CreatedAt <= placedBefore)
            .OrderBy(o => o.CreatedAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var cancelled = 0;
        foreach (var order in expired)
        {
            order.Cancel(Reason, now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                cancelled++;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Paid (or cancelled) meanwhile: the other change stands.
                db.ChangeTracker.Clear();
            }
        }

        if (cancelled > 0)
        {
            logger.LogInformation("Cancelled {Count} order(s) unpaid for {Timeout}", cancelled, options.Value.PaymentTimeout);
        }

        return cancelled;
    }
}

/// <summary>Registers the payment expiry as a recurring job.</summary>
internal sealed class ExpireUnpaidOrdersSchedule(IRecurringJobManager recurring, IOptions<OrdersOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<ExpireUnpaidOrders>(ExpireUnpaidOrders.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            options.Value.PaymentExpiryCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
