using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XiaoxiangTracking.Bench;

/// <summary>
/// The real host, built in Release next to the bench, started as its own process on a free loopback port with a fresh
/// SQLite folder and production settings; its CPU time and peak memory are read from /proc.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataFolder;
    private readonly byte[] _key;

    private HostProcess(Process process, int port, string dataFolder, byte[] key)
    {
        _process = process;
        Port = port;
        _dataFolder = dataFolder;
        _key = key;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static async Task<HostProcess> StartAsync(string configuration)
    {
        var root = RepositoryRoot();
        var host = Path.Combine(root, "XiaoxiangTracking.Web", "bin", configuration, "net10.0", "XiaoxiangTracking.Web.dll");
        if (!File.Exists(host))
        {
            throw new FileNotFoundException($"Build the host first ({host}).");
        }

        var port = FreePort();
        var dataFolder = Path.Combine(Path.GetTempPath(), "xiaoxiang-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var start = new ProcessStartInfo("dotnet", [host])
        {
            WorkingDirectory = Path.GetDirectoryName(host)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__DataFolder"] = dataFolder,
            ["Auth__SigningKey"] = Convert.ToBase64String(key),
            ["Demo__Enabled"] = "false",
            // Thousands of simulated riders and customers come from one address and report faster than real time.
            ["Security__RateLimits__PositionsPerRiderPerMinute"] = "1000000",
            ["Security__RateLimits__OrderActionsPerCustomerPerMinute"] = "1000000",
            ["Security__RateLimits__HubConnectsPerAddressPerMinute"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The host did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine($"  host: {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var running = new HostProcess(process, port, dataFolder, key);
        using var probe = new HttpClient { BaseAddress = running.BaseAddress };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return running;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode}.");
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The host did not become ready within 60 s.");
    }

    /// <summary>CPU seconds (user + system) the host has used so far.</summary>
    public double CpuSeconds()
    {
        var fields = File.ReadAllText($"/proc/{_process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the command: state is field 0; utime and stime are fields 11 and 12, in clock ticks (100 per second).
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    /// <summary>Resident memory now and its peak, in MB.</summary>
    public (double Current, double Peak) MemoryMegabytes()
    {
        double Read(string name) => File.ReadLines($"/proc/{_process.Id}/status")
            .Where(l => l.StartsWith(name, StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024)
            .First();
        return (Read("VmRSS:"), Read("VmHWM:"));
    }

    public string Token(string role, string subject) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "xiaoxiang-tracking",
        Audience = "xiaoxiang-tracking",
        Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
        Expires = DateTime.UtcNow.AddHours(2),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(_key), SecurityAlgorithms.HmacSha256),
    });

    public HttpClient Client(string role, string subject, HttpMessageHandler handler)
    {
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token(role, subject));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
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
