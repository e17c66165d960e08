using Microsoft.AspNetCore.SignalR;

namespace XiaoxiangTracking.Modules.Notifications.Fanout;

/// <summary>The hub's connections this instance holds, by id (the hub's lifetime manager keeps them).</summary>
internal interface IConnections
{
    /// <summary>The connection, while this instance holds it.</summary>
    HubConnectionContext? Find(string connectionId);
}
