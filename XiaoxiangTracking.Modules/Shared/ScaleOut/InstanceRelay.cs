using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace XiaoxiangTracking.Modules.Shared.ScaleOut;

/// <summary>
/// Tells the other instances of the host what changed here, so the views each keeps in memory (the live-state cache,
/// the hub's fan-out) follow changes made anywhere. Redis pub/sub: a message is delivered at most once, in the order
/// sent; a lost one shows to its receivers as a version gap, which they close as they close any other. Without Redis
/// the host runs alone: publishing does nothing and nothing arrives.
/// </summary>
public sealed class InstanceRelay(RedisConnection? redis, ILogger<InstanceRelay> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>This instance, so it ignores its own messages coming back.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public bool IsOn => redis is not null;

    /// <summary>Sends <paramref name="message"/> to the other instances without waiting for Redis to take it.</summary>
    public async ValueTask PublishAsync<T>(string channel, T message)
    {
        if (redis is null)
        {
            return;
        }

        var connection = await redis.GetAsync();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Envelope<T>(InstanceId, message), Json);
        await connection.GetSubscriber().PublishAsync(Channel(channel), payload, CommandFlags.FireAndForget);
    }

    /// <summary>Hands every message the other instances publish on <paramref name="channel"/> to <paramref name="receive"/>, one at a time, in order.</summary>
    public async Task SubscribeAsync<T>(string channel, Func<T, Task> receive)
    {
        if (redis is null)
        {
            return;
        }

        var connection = await redis.GetAsync();
        var queue = await connection.GetSubscriber().SubscribeAsync(Channel(channel));
        queue.OnMessage(async message =>
        {
            try
            {
                var envelope = JsonSerializer.Deserialize<Envelope<T>>((byte[])message.Message!, Json);
                if (envelope is { Message: { } received } && envelope.From != InstanceId)
                {
                    await receive(received);
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A message relayed on {Channel} could not be handled", channel);
            }
        });
    }

    private static RedisChannel Channel(string name) => RedisChannel.Literal(ScaleOut.Prefix + name);

    private sealed record Envelope<T>(string From, T Message);
}
