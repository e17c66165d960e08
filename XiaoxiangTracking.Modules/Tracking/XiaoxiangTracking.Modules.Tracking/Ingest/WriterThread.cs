using System.Collections.Concurrent;

namespace XiaoxiangTracking.Modules.Tracking.Ingest;

/// <summary>
/// A thread of the position writer's own, on which its loop and every continuation of it run. A commit's work is
/// synchronous (SQLite's statements, the WAL's sync): on a thread-pool thread it held that thread for most of each
/// commit, and the pool added threads that then competed for the same CPUs as the requests.
/// </summary>
internal sealed class WriterThread : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _work = [];

    private WriterThread()
    {
    }

    /// <summary>Runs <paramref name="loop"/> on a new thread named <paramref name="name"/>; the thread ends with the loop.</summary>
    public static async Task RunAsync(string name, Func<Task> loop)
    {
        var context = new WriterThread();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Post(async _ =>
        {
            try
            {
                await loop();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }, null);
        var thread = new Thread(context.Pump) { IsBackground = true, Name = name };
        thread.Start();
        try
        {
            await done.Task;
        }
        finally
        {
            context._work.CompleteAdding();
            thread.Join();
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _work.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // The loop has ended: what still completes after it runs on the pool.
            ThreadPool.QueueUserWorkItem(s => d(s), state, preferLocal: false);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The position writer's thread takes work only by Post.");

    public override SynchronizationContext CreateCopy() => this;

    private void Pump()
    {
        SetSynchronizationContext(this);
        foreach (var (callback, state) in _work.GetConsumingEnumerable())
        {
            callback(state);
        }
    }
}
