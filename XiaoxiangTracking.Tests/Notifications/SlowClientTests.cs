using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Notifications.Fanout;
using XiaoxiangTracking.Modules.Notifications.Hub;
using XiaoxiangTracking.Modules.Notifications.Settings;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Tests.Support;

namespace XiaoxiangTracking.Tests.Notifications;

/// <summary>
/// A client on a bad mobile link, at the one edge faked here: the transport, whose sends hang until released. The
/// connection's queue and pump are the real ones.
/// </summary>
public class SlowClientTests
{
    [Fact]
    public async Task Fan_out_never_waits_for_a_slow_client_which_then_catches_up_in_order_without_duplicates()
    {
        var options = new NotificationsOptions { QueueCapacityPerConnection = 8, DeltaHistory = 100 };
        var directory = new OrderDirectory(TimeProvider.System);
        var log = new DeltaLog(Options.Create(options), directory, TimeProvider.System);
        var transport = new HangingConnection();
        await using var scopes = new ServiceCollection().BuildServiceProvider();
        await using var connection = new SubscriberConnection(transport, "ops-test", log, directory,
            scopes.GetRequiredService<IServiceScopeFactory>(), options, new Modules.Shared.Observability.ServiceMetrics(), TimeProvider.System, NullLogger.Instance);
        log.Append(Move("o-1", 1));
        connection.FollowOrder("o-1", OrderViewer.Ops, have: 0);
        await transport.FirstSendStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The pump hangs sending version 1; meanwhile 59 more changes are fanned out to this connection.
        for (var version = 2; version <= 60; version++)
        {
            var change = Move("o-1", version);
            log.Append(change);
            connection.Enqueue(new Push.Delta(new PushedChange(change)));
        }

        var skippedWhileHanging = connection.Skipped;
        transport.Release();

        await Eventually.Until(() => transport.SentVersions is [.., 60]);
        skippedWhileHanging.Should().Be(59 - options.QueueCapacityPerConnection);
        transport.SentVersions.Should().Equal(Enumerable.Range(1, 60).Select(v => (long)v));
    }

    private static OrderTrackingChanged Move(string orderId, long version) =>
        new(orderId, version, version == 1 ? OrderStatus.Delivering : null, null,
            new LivePosition(31.22 + (version * 1e-4), 121.54, DateTimeOffset.UnixEpoch.AddSeconds(version), null, null), null,
            DateTimeOffset.UnixEpoch.AddSeconds(version));

    /// <summary>A connection whose writes hang until <see cref="Release"/>; it records the versions it carried.</summary>
    private sealed class HangingConnection : HubConnectionContext
    {
        private const byte RecordSeparator = 0x1e;

        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<long> _sent = [];

        public HangingConnection()
            : base(new DefaultConnectionContext("slow"), new HubConnectionContextOptions(), NullLoggerFactory.Instance) =>
            Protocol = new JsonHubProtocol();

        public TaskCompletionSource FirstSendStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<long> SentVersions
        {
            get
            {
                lock (_sent)
                {
                    return [.. _sent];
                }
            }
        }

        public void Release() => _released.TrySetResult();

        public override async ValueTask WriteAsync(SerializedHubMessage message, CancellationToken cancellationToken = default)
        {
            FirstSendStarted.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            // What the client would read: the bytes carry one message or several (deltas written together).
            var bytes = message.GetSerializedMessage(Protocol);
            for (int end, start = 0; (end = bytes.Span[start..].IndexOf(RecordSeparator)) >= 0; start += end + 1)
            {
                using var invocation = JsonDocument.Parse(bytes.Slice(start, end));
                if (invocation.RootElement.GetProperty("target").GetString() == ClientMethods.OrderUpdated)
                {
                    lock (_sent)
                    {
                        _sent.Add(invocation.RootElement.GetProperty("arguments")[0].GetProperty("trackingVersion").GetInt64());
                    }
                }
            }
        }
    }
}
