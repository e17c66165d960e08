using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using XiaoxiangTracking.Modules.Orders.Persistence;

namespace XiaoxiangTracking.Tests.Support;

public static class OrdersDatabase
{
    /// <summary>Runs <paramref name="work"/> with the host's own Orders context (a fresh scope).</summary>
    internal static async Task<T> WithOrdersDb<T>(this TrackingHostFactory host, Func<OrdersDbContext, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<OrdersDbContext>());
    }

    internal static Task WithOrdersDb(this TrackingHostFactory host, Func<OrdersDbContext, Task> work) =>
        host.WithOrdersDb(async db =>
        {
            await work(db);
            return true;
        });

    internal static IQueryable<T> Table<T>(this OrdersDbContext db)
        where T : class => db.Set<T>().AsNoTracking();
}
