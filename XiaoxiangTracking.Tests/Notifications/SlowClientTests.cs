using Microsoft.AspNetCore.SignalR;
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
        var log = new DeltaLog(Options.Create(options), TimeProvider.System);
        var transport = new HangingTransport();
        await using var scopes = new ServiceCollection().BuildServiceProvider();
        await using var connection = new SubscriberConnection("slow", "ops-test", transport, log, new OrderDirectory(TimeProvider.System),
            scopes.GetRequiredService<IServiceScopeFactory>(), options, new Modules.Shared.Observability.ServiceMetrics(), TimeProvider.System, NullLogger.Instance);
        log.Append(Move("o-1", 1));
        connection.FollowOrder("o-1", OrderViewer.Ops, have: 0);
        await transport.FirstSendStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The pump hangs sending version 1; meanwhile 59 more changes are fanned out to this connection.
        for (var version = 2; version <= 60; version++)
        {
            var change = Move("o-1", version);
            log.Append(change);
            connection.Enqueue(new Push.Delta(change));
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

    /// <summary>A transport whose sends hang until <see cref="Release"/>; it records the versions it carried.</summary>
    private sealed class HangingTransport : IHubContext<TrackingHub>
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<long> _sent = [];

        public HangingTransport() => Clients = new OneClient(this);

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

        public IHubClients Clients { get; }

        public IGroupManager Groups => throw new NotSupportedException();

        public void Release() => _released.TrySetResult();

        private async Task SendAsync(string method, object?[] args, CancellationToken cancellationToken)
        {
            FirstSendStarted.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            if (method == ClientMethods.OrderUpdated && args[0] is OrderUpdate update)
            {
                lock (_sent)
                {
                    _sent.Add(update.Version);
                }
            }
        }

        private sealed class OneClient(HangingTransport transport) : IHubClients, ISingleClientProxy
        {
            public IClientProxy All => throw new NotSupportedException();

            public ISingleClientProxy Client(string connectionId) => this;

            IClientProxy IHubClients<IClientProxy>.Client(string connectionId) => this;

            public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default) =>
                transport.SendAsync(method, args, cancellationToken);

            public Task<T> InvokeCoreAsync<T>(string method, object?[] args, CancellationToken cancellationToken) =>
                throw new NotSupportedException();

            public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

            public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

            public IClientProxy Group(string groupName) => throw new NotSupportedException();

            public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

            public IClientProxy Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

            public IClientProxy User(string userId) => throw new NotSupportedException();

            public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
        }
    }
}
