using System.Net;
using System.Net.Sockets;

namespace XiaoxiangTracking.Tests.Support;

/// <summary>
/// A loopback TCP relay in front of a server: clients connect to <see cref="Port"/>. <see cref="CutFor"/> drops every
/// connection through it and refuses new ones for a while, as a tunnel, a lift or a dead cell does to a phone.
/// </summary>
public sealed class CuttableLink : IAsyncDisposable
{
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private DateTimeOffset _cutUntil = DateTimeOffset.MinValue;
    private readonly TcpListener _listener;

    public CuttableLink(int targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Drops every open connection now and refuses new ones for <paramref name="duration"/>.</summary>
    public void CutFor(TimeSpan duration)
    {
        lock (_open)
        {
            _cutUntil = DateTimeOffset.UtcNow + duration;
            foreach (var client in _open)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutFor(TimeSpan.Zero);
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient incoming;
            try
            {
                incoming = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = RelayAsync(incoming);
        }
    }

    private async Task RelayAsync(TcpClient incoming)
    {
        var outgoing = new TcpClient();
        lock (_open)
        {
            if (DateTimeOffset.UtcNow < _cutUntil)
            {
                incoming.Client.LingerState = new LingerOption(true, 0);
                incoming.Dispose();
                outgoing.Dispose();
                return;
            }

            _open.Add(incoming);
            _open.Add(outgoing);
        }

        try
        {
            await outgoing.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            var up = incoming.GetStream().CopyToAsync(outgoing.GetStream(), _stop.Token);
            var down = outgoing.GetStream().CopyToAsync(incoming.GetStream(), _stop.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The link was cut, the server went away or the test ended.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(incoming);
                _open.Remove(outgoing);
            }

            incoming.Dispose();
            outgoing.Dispose();
        }
    }
}
