using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace XiaoxiangTracking.Modules.Shared.ScaleOut;

/// <summary>
/// Running more than one instance of the host. One setting, <c>ConnectionStrings:Redis</c>, switches it on: SignalR
/// uses Redis as its backplane, the live-state cache uses Redis as its second level, and every live change is relayed
/// to the other instances (<see cref="InstanceRelay"/>). Unset, the host runs alone and all of it stays in process.
/// </summary>
public static class ScaleOut
{
    /// <summary>The connection string's name: <c>ConnectionStrings:Redis</c> (StackExchange.Redis configuration, e.g. <c>redis:6379</c>).</summary>
    public const string RedisConnectionName = "Redis";

    /// <summary>Prefix of every Redis key and channel the host uses, so one Redis may serve other applications too.</summary>
    public const string Prefix = "xiaoxiang:";

    /// <summary>The Redis configuration, or null when the host runs alone.</summary>
    public static string? RedisConfiguration(IConfiguration configuration) =>
        configuration.GetConnectionString(RedisConnectionName) is { Length: > 0 } redis ? redis : null;

    /// <summary>
    /// The options of one Redis connection. The backplane, the cache and the relay each open their own: the SignalR
    /// backplane and the Redis cache both close the connection they use when they are disposed, so sharing one would
    /// let whichever stops first cut off the others.
    /// </summary>
    public static ConfigurationOptions RedisOptions(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Redis restarting or briefly away must not stop the host: the connection keeps retrying in the background.
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary>Registers the relay's Redis connection (when configured) and the <see cref="InstanceRelay"/>.</summary>
    public static IServiceCollection AddScaleOut(this IServiceCollection services, IConfiguration configuration)
    {
        var redis = RedisConfiguration(configuration);
        if (redis is not null)
        {
            // Created by the container, so it is also disposed (closing the connection) when the host stops.
            services.TryAddSingleton(_ => new RedisConnection(redis));
        }

        services.TryAddSingleton(provider => new InstanceRelay(
            redis is null ? null : provider.GetRequiredService<RedisConnection>(), provider.GetRequiredService<ILogger<InstanceRelay>>()));
        return services;
    }
}

/// <summary>The Redis connection of the <see cref="InstanceRelay"/>; opened on first use.</summary>
public sealed class RedisConnection(string configuration) : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection = new(() => ConnectAsync(configuration));

    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync();
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string configuration) =>
        await ConnectionMultiplexer.ConnectAsync(ScaleOut.RedisOptions(configuration));
}
