using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace XiaoxiangTracking.Bench;

/// <summary>How long a process's collector stopped its threads while watched: the pauses' count, longest and total.</summary>
internal sealed record PauseSummary(int Count, double LongestMilliseconds, double TotalMilliseconds)
{
    public override string ToString() => $"{Count} pauses, longest {LongestMilliseconds:0.0} ms, {TotalMilliseconds:0} ms in all";
}

/// <summary>
/// Watches a .NET process's garbage collections through the runtime's diagnostics port (the host's or the bench's own):
/// each pause runs from the runtime suspending its threads to its letting them go again. Tells a latency tail that
/// a collection caused from one the machine's scheduling did.
/// </summary>
internal sealed class Pauses : IAsyncDisposable
{
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _processing;
    private readonly List<double> _pauses = [];
    private double? _suspendedAt;

    public Pauses(int processId)
    {
        _session = new DiagnosticsClient(processId).StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC),
            requestRundown: false);
        _source = new EventPipeEventSource(_session.EventStream);
        _source.Clr.GCSuspendEEStart += e => _suspendedAt = e.TimeStampRelativeMSec;
        _source.Clr.GCRestartEEStop += e =>
        {
            if (_suspendedAt is { } from)
            {
                lock (_pauses)
                {
                    _pauses.Add(e.TimeStampRelativeMSec - from);
                }

                _suspendedAt = null;
            }
        };
        // Process() blocks until the session stops: a thread of its own, not one of the pool the load runs on.
        _processing = Task.Factory.StartNew(_source.Process, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The pauses seen so far; watching goes on.</summary>
    public PauseSummary Summary()
    {
        lock (_pauses)
        {
            return new PauseSummary(_pauses.Count, _pauses.DefaultIfEmpty(0).Max(), _pauses.Sum());
        }
    }

    /// <summary>Forgets the pauses seen so far (those of a warm-up).</summary>
    public void Reset()
    {
        lock (_pauses)
        {
            _pauses.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _session.StopAsync(CancellationToken.None);
        await _processing;
        _source.Dispose();
        _session.Dispose();
    }
}

/// <summary>
/// How long a work item queued to this process's thread pool waits before it runs, sampled every 5 ms on a thread of
/// its own: the load generator's own lag. Its replies and pushes are timed on that pool, so while it lags, what it
/// measures includes its own waiting.
/// </summary>
internal sealed class PoolLag : IDisposable
{
    private readonly Samples _lag = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _measuring;

    public PoolLag()
    {
        new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                if (_measuring)
                {
                    var queued = System.Diagnostics.Stopwatch.GetTimestamp();
                    ThreadPool.UnsafeQueueUserWorkItem(_ => _lag.Add(Samples.Since(queued)), null);
                }

                _stop.Token.WaitHandle.WaitOne(5);
            }
        }) { IsBackground = true, Name = "pool lag" }.Start();
    }

    public Samples Samples => _lag;

    /// <summary>Starts sampling (after a warm-up).</summary>
    public void Start() => _measuring = true;

    public void Dispose() => _stop.Cancel();
}
