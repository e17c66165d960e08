using System.Collections.Frozen;
using System.Text.Json;
using Mediator;

namespace XiaoxiangTracking.Modules.Shared.Outbox;

/// <summary>
/// The notification types that may travel through an outbox, by stable name. Stored rows name a type from this list;
/// nothing is resolved by <c>Type.GetType</c> on database content.
/// </summary>
public sealed class NotificationTypeRegistry
{
    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private FrozenDictionary<Type, string>? _byType;

    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web);

    internal void Add(Type type)
    {
        if (!typeof(INotification).IsAssignableFrom(type))
        {
            throw new ArgumentException($"{type} is not an INotification.", nameof(type));
        }

        _byName[type.FullName!] = type;
        _byType = null;
    }

    public string NameOf(Type type) =>
        (_byType ??= _byName.ToFrozenDictionary(kv => kv.Value, kv => kv.Key)).TryGetValue(type, out var name)
            ? name
            : throw new InvalidOperationException($"{type} is not registered for the outbox; register it with AddModuleOutbox.");

    public static string Serialize(INotification notification) =>
        JsonSerializer.Serialize(notification, notification.GetType(), SerializerOptions);

    public INotification Deserialize(string typeName, string payload) =>
        _byName.TryGetValue(typeName, out var type)
            ? (INotification)(JsonSerializer.Deserialize(payload, type, SerializerOptions)
                ?? throw new InvalidOperationException($"Outbox payload of {typeName} is null."))
            : throw new InvalidOperationException($"Outbox message type '{typeName}' is not registered.");
}
