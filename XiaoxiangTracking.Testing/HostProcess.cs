using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XiaoxiangTracking.Testing;

/// <summary>Where a host keeps its data and the key its tokens are signed with: kept across restarts of the host.</summary>
public sealed record HostData(string Folder, byte[] Key)
{
    /// <summary>A new folder's path under the bench's temp folder (not created yet).</summary>
    public static string NewFolder() => Path.Combine(Path.GetTempPath(), "xiaoxiang-bench", Guid.NewGuid().ToString("N"));

    public static HostData Fresh()
    {
        var folder = NewFolder();
        Directory.CreateDirectory(folder);
        return new HostData(folder, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    }

    public string DatabasePath => Path.Combine(Folder, "xiaoxiang-tracking.db");

    /// <summary>A connection to the host's database file from outside the host, read-only unless asked.</summary>
    public Microsoft.Data.Sqlite.SqliteConnection OpenDatabase(bool readOnly = true)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = readOnly ? Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly : Microsoft.Data.Sqlite.SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 5,
        }.ToString());
        connection.Open();
        return connection;
    }

    public void Delete()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
    }
}

/// <summary>
/// The real host, built in the same configuration as the caller, started as its own process on a free loopback port
/// with production settings on a SQLite folder (fresh unless given); its CPU time and peak memory are read from /proc.
/// It can be stopped as an orchestrator does (SIGTERM) or killed (SIGKILL).
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly bool _ownsData;

    private HostProcess(Process process, int port, HostData data, bool ownsData)
    {
        _process = process;
        Port = port;
        Data = data;
        _ownsData = ownsData;
    }

    public int Port { get; }

    /// <summary>The host's histogram of the writer's group commits (<c>/metrics</c>).</summary>
    public const string CommitDuration = "xiaoxiang_ingest_commit_duration_seconds";

    /// <summary>The host's count of bytes allocated on its managed heap (<c>/metrics</c>).</summary>
    public const string Allocated = "xiaoxiang_gc_allocated_bytes_total";

    /// <summary>The host's histogram from a report's arrival to its push to a hub client (<c>/metrics</c>).</summary>
    public const string IngestToPush = "xiaoxiang_ingest_to_push_seconds";

    /// <summary>The host's histogram of positions per group commit (<c>/metrics</c>).</summary>
    public const string CommitBatchSize = "xiaoxiang_ingest_commit_batch_positions";

    /// <summary>The host's gauge of open hub connections (<c>/metrics</c>).</summary>
    public const string HubConnections = "xiaoxiang_hub_connections";

    /// <summary>Every metric of the host read by name from outside it; the host's own names are checked against these.</summary>
    public static readonly IReadOnlyList<string> MetricsRead = [CommitDuration, Allocated, IngestToPush, CommitBatchSize, HubConnections];

    public int ProcessId => _process.Id;

    public HostData Data { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public bool HasExited => _process.HasExited;

    /// <summary>How long the host's process has run.</summary>
    public TimeSpan Uptime => DateTime.Now - _process.StartTime;

    /// <summary>Starts the host and returns once it is ready; on <paramref name="data"/> when given (a restart), which it then leaves in place.</summary>
    public static async Task<HostProcess> StartAsync(HostData? data = null, int? port = null)
    {
        var root = RepositoryRoot();
        var host = Path.Combine(root, "XiaoxiangTracking.Web", "bin", BuildConfiguration(), "net10.0", "XiaoxiangTracking.Web.dll");
        if (!File.Exists(host))
        {
            throw new FileNotFoundException($"Build the host first ({host}).");
        }

        var listenOn = port ?? FreePort();
        var ownsData = data is null;
        data ??= HostData.Fresh();
        var start = new ProcessStartInfo("dotnet", [host])
        {
            WorkingDirectory = Path.GetDirectoryName(host)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{listenOn}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__DataFolder"] = data.Folder,
            ["Auth__SigningKey"] = Convert.ToBase64String(data.Key),
            ["Demo__Enabled"] = "false",
            // Thousands of simulated riders and customers come from one address and report faster than real time.
            ["Security__RateLimits__PositionsPerRiderPerMinute"] = "1000000",
            ["Security__RateLimits__OrderActionsPerCustomerPerMinute"] = "1000000",
            ["Security__RateLimits__HubConnectsPerAddressPerMinute"] = "1000000",
            // The readiness probe below asks without a token, ten times a second.
            ["Security__RateLimits__AnonymousRequestsPerAddressPerMinute"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
            // "Application started": the host's own word that it listens, waited for before probing readiness.
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            // No file watchers for configuration: many hosts start and stop on one machine (inotify instances are few).
            ["DOTNET_hostBuilder__reloadConfigOnChange"] = "false",
        };
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The host did not start.");
        var output = new HostOutput();
        process.OutputDataReceived += (_, e) => output.Add(e.Data, toConsole: false);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data, toConsole: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var running = new HostProcess(process, listenOn, data, ownsData);
        try
        {
            await WaitUntilReadyAsync(running, process, output);
            return running;
        }
        catch
        {
            await running.KillAsync();
            throw;
        }
    }

    /// <summary>
    /// Ready by a rule a busy machine cannot break: first the host's own "Application started" line (its start-up —
    /// migrations, cache warm-up, JIT — may take minutes on a loaded machine, so only its exit or
    /// <see cref="StartTimeout"/> ends the wait), then <c>/health/ready</c> answering 200 within
    /// <see cref="ReadyTimeout"/>. A failure says which step failed, with the host's last lines of output.
    /// </summary>
    private static async Task WaitUntilReadyAsync(HostProcess running, Process process, HostOutput output)
    {
        var exited = process.WaitForExitAsync();
        var started = await Task.WhenAny(output.Started, exited, Task.Delay(StartTimeout));
        if (started != output.Started)
        {
            throw new InvalidOperationException(process.HasExited
                ? $"The host exited with {process.ExitCode} before it started.{output.Tail()}"
                : $"The host did not say \"Application started\" within {StartTimeout.TotalSeconds:0} s.{output.Tail()}");
        }

        using var probe = new HttpClient { BaseAddress = running.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        var last = "no answer";
        while (deadline.Elapsed < ReadyTimeout)
        {
            try
            {
                using var response = await probe.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode} after it started.{output.Tail()}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The host started but /health/ready did not answer 200 within {ReadyTimeout.TotalSeconds:0} s; last: {last}.{output.Tail()}");
    }

    /// <summary>How long a host may take to start (its process alive) before the start counts as failed.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>How long a started host may take to report ready.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The host's output: its errors echoed to the console, the last lines kept for a failure's message.</summary>
    private sealed class HostOutput
    {
        private const int Kept = 40;
        private readonly Queue<string> _lines = new();
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public void Add(string? line, bool toConsole)
        {
            if (string.IsNullOrEmpty(line))
            {
                return;
            }

            if (toConsole)
            {
                Console.Error.WriteLine($"  host: {line}");
            }

            if (line.Contains("Application started", StringComparison.Ordinal))
            {
                _started.TrySetResult();
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > Kept)
                {
                    _lines.Dequeue();
                }
            }
        }

        public string Tail()
        {
            lock (_lines)
            {
                return _lines.Count == 0 ? " The host wrote nothing." : $" The host's last lines:{Environment.NewLine}{string.Join(Environment.NewLine, _lines)}";
            }
        }
    }

    /// <summary>kill -9: the process ends at once, whatever it was doing.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a pod: the host drains and exits by itself (killed after 60 s).</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited && SendSignal(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException("Could not signal the host.");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException("The host did not stop within 60 s of SIGTERM.");
        }
    }

    private const int Sigterm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Debug or Release: the configuration this program was built in, which the host is taken from.</summary>
    private static string BuildConfiguration() =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(typeof(HostProcess).Assembly.Location)!)!)!;

    /// <summary>CPU seconds (user + system) the host has used so far.</summary>
    public double CpuSeconds()
    {
        var fields = File.ReadAllText($"/proc/{_process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the command: state is field 0; utime and stime are fields 11 and 12, in clock ticks (100 per second).
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    /// <summary>One of the host's Prometheus samples (<c>/metrics</c>), summed over its labels.</summary>
    public async Task<double> MetricAsync(string name) => (await MetricsAsync()).Sum(name);

    /// <summary>The host's Prometheus samples (<c>/metrics</c>) as of one scrape, so that figures read together agree.</summary>
    public async Task<MetricsSnapshot> MetricsAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        return new MetricsSnapshot((await client.GetStringAsync("/metrics")).Split('\n'));
    }

    /// <summary>The host's peak resident memory so far, from /proc.</summary>
    public double PeakMegabytes() => File.ReadLines($"/proc/{_process.Id}/status")
        .Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024)
        .First();

    /// <summary>
    /// The host's live managed heap once it has settled: measured (see <see cref="LiveHeapOnceAsync"/>) a second apart
    /// until two measures agree within 0.5 % (at most five), so that work the host was still finishing (a queue being
    /// drained) is not counted as what it keeps.
    /// </summary>
    public async Task<LiveHeap> LiveHeapAsync()
    {
        var heap = await LiveHeapOnceAsync();
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var again = await LiveHeapOnceAsync();
            var settled = Math.Abs(again.Total - heap.Total) < heap.Total * 0.005;
            heap = again;
            if (settled)
            {
                break;
            }
        }

        return heap;
    }

    /// <summary>
    /// What the host keeps alive, measured by a full, blocking collection the host is made to run through the runtime's
    /// diagnostics port (as <c>dotnet-gcdump</c> does): the bytes of the objects that survive it, large ones included,
    /// and the size of the pinned heap (where the transport keeps its pooled buffers). Unlike resident memory or the
    /// heap's size, this does not move with when the collector last ran or with the free space it leaves.
    /// </summary>
    private async Task<LiveHeap> LiveHeapOnceAsync()
    {
        var session = new DiagnosticsClient(_process.Id).StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational,
                (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect)),
            requestRundown: false);
        using var source = new EventPipeEventSource(session.EventStream);
        var measured = new TaskCompletionSource<LiveHeap>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fullBlocking = false;
        source.Clr.GCStart += gc => fullBlocking = gc.Depth == 2 && gc.Type == GCType.NonConcurrentGC;
        source.Clr.GCHeapStats += stats =>
        {
            if (fullBlocking)
            {
                measured.TrySetResult(new LiveHeap(
                    stats.TotalPromotedSize0 + stats.TotalPromotedSize1 + stats.TotalPromotedSize2 + stats.TotalPromotedSize3, stats.GenerationSize4));
            }
        };
        // Process() blocks until the session stops: a thread of its own, not one of the pool the load runs on.
        var processing = Task.Factory.StartNew(source.Process, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return await measured.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await processing;
            session.Dispose();
        }
    }

    public string Token(string role, string subject) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "xiaoxiang-tracking",
        Audience = "xiaoxiang-tracking",
        Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
        Expires = DateTime.UtcNow.AddHours(2),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Data.Key), SecurityAlgorithms.HmacSha256),
    });

    /// <summary>A client of the host signed in as <paramref name="subject"/> in <paramref name="role"/>, with a token made now.</summary>
    public HttpClient Client(string role, string subject, HttpMessageHandler handler) => Client(Token(role, subject), handler);

    /// <summary>A client of the host that sends <paramref name="token"/> with every request.</summary>
    public HttpClient Client(string token, HttpMessageHandler handler)
    {
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        if (_ownsData)
        {
            Data.Delete();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "XiaoxiangTracking.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the bench from the repository.");
    }
}

/// <summary>The host's Prometheus samples as of one scrape.</summary>
public sealed class MetricsSnapshot(string[] lines)
{
    /// <summary>A sample summed over its labels, or over those carrying <paramref name="label"/> (<c>le="0.016"</c>).</summary>
    public double Sum(string name, string? label = null) => lines
        .Where(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
        .Where(l => label is null || l[..l.LastIndexOf(' ')].Contains(label, StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>How many of a histogram's observations exceeded <paramref name="seconds"/> (one of its bounds).</summary>
    public double Above(string histogram, double seconds) =>
        Sum(histogram + "_count") - Sum(histogram + "_bucket", $"le=\"{seconds.ToString(CultureInfo.InvariantCulture)}\"");
}

/// <summary>The host's live managed heap: the objects it keeps, and the pinned heap of the transport's buffers.</summary>
public sealed record LiveHeap(long Objects, long Pinned)
{
    public long Total => Objects + Pinned;
}
