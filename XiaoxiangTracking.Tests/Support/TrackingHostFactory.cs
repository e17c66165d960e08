using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Tests.Support;

/// <summary>
/// The real host over HTTP with its own SQLite file in a fresh folder (one per test class through
/// <c>IClassFixture</c>, or one per test when created directly). Every order notification the host publishes is
/// recorded in <see cref="Notifications"/>, as are rider assignments, live-state deltas and alerts.
/// </summary>
public class TrackingHostFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly TestFolder? _ownFolder;

    public TrackingHostFactory()
        : this(new TestFolder())
    {
    }

    private TrackingHostFactory(TestFolder ownFolder)
        : this(ownFolder.Path)
    {
        _ownFolder = ownFolder;
    }

    /// <summary>A host on an existing data folder (a restart of an earlier host), trusting <paramref name="tokens"/> if given.</summary>
    internal TrackingHostFactory(string dataFolder, TestTokens? tokens = null)
    {
        DataFolder = dataFolder;
        Directory.CreateDirectory(DataFolder);
        _settings["Database:DataFolder"] = DataFolder;
        _settings["Demo:Enabled"] = "false";
        Tokens = tokens ?? new TestTokens(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _settings["Auth:SigningKey"] = Convert.ToBase64String(Tokens.Key);
    }

    /// <summary>Signs tokens the host accepts.</summary>
    public TestTokens Tokens { get; }

    /// <summary>A client of the host carrying a token of <paramref name="caller"/> (on the host's clock when it has one).</summary>
    public HttpClient ClientFor(TestCaller caller)
    {
        var client = CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TokenFor(caller));
        return client;
    }

    /// <summary>A token the host accepts for <paramref name="caller"/>, issued now on the host's clock.</summary>
    public string TokenFor(TestCaller caller) => Tokens.For(caller, Clock?.GetUtcNow());

    /// <summary>Every client from <c>CreateClient</c> is ops unless the test asks for another caller (<see cref="ClientFor"/>).</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TokenFor(TestCaller.DefaultOps));
    }

    public string DataFolder { get; }

    public string DatabasePath => Path.Combine(DataFolder, "xiaoxiang-tracking.db");

    public NotificationLog Notifications { get; } = new();

    /// <summary>The host's clock when the test drives time (<see cref="WithClock"/>); the system clock otherwise.</summary>
    public FakeTimeProvider? Clock { get; private set; }

    /// <summary>
    /// Runs the host on a clock the test advances (starting at the real current time unless told otherwise; reported
    /// fixes are judged against it); timers such as dispatch retries fire only when the test moves the clock. Call
    /// before the first request.
    /// </summary>
    public TrackingHostFactory WithClock(DateTimeOffset? start = null)
    {
        Clock = new FakeTimeProvider(start ?? DateTimeOffset.UtcNow);
        return this;
    }

    // One key ring for the hosts of the test run, unless a test is about the key ring: the contexts' models carry the
    // protector, so hosts that share it share their models instead of each building its own.
    private static readonly IDataProtectionProvider SharedKeyRing = new EphemeralDataProtectionProvider();

    private bool _ownKeyRing;

    /// <summary>Keeps Data Protection keys in the host's database as in production (for tests of encryption at rest and restarts).</summary>
    public TrackingHostFactory WithOwnKeyRing()
    {
        _ownKeyRing = true;
        return this;
    }

    /// <summary>Every log message the host writes, when <see cref="CaptureLogs"/> was called.</summary>
    public LogCapture? Logs { get; private set; }

    /// <summary>Records every log message of the host at every level; call before the first request.</summary>
    public TrackingHostFactory CaptureLogs()
    {
        Logs = new LogCapture();
        return With("Logging:LogLevel:Default", "Trace").With("Logging:LogLevel:Microsoft.AspNetCore", "Trace")
            .With("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace");
    }

    private readonly List<string> _httpClientsToTestServer = [];

    /// <summary>Points the host's named HTTP client at the test server (for the host's own simulated apps).</summary>
    public TrackingHostFactory WithTestServerFor(string httpClientName)
    {
        _httpClientsToTestServer.Add(httpClientName);
        return this;
    }

    /// <summary>The host's environment: Testing unless told otherwise (<see cref="InEnvironment"/>).</summary>
    public string EnvironmentName { get; private set; } = "Testing";

    /// <summary>Runs the host in another environment (Development, Production); call before the first request.</summary>
    public TrackingHostFactory InEnvironment(string environmentName)
    {
        EnvironmentName = environmentName;
        return this;
    }

    /// <summary>Overrides a setting of appsettings.json for this host; call before the first request.</summary>
    public TrackingHostFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (Logs is { } logs)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton(Notifications);
            services.AddScoped<INotificationHandler<OrderPlaced>, RecordingHandler<OrderPlaced>>();
            services.AddScoped<INotificationHandler<OrderPaid>, RecordingHandler<OrderPaid>>();
            services.AddScoped<INotificationHandler<OrderPicked>, RecordingHandler<OrderPicked>>();
            services.AddScoped<INotificationHandler<OrderDelivered>, RecordingHandler<OrderDelivered>>();
            services.AddScoped<INotificationHandler<OrderCancelled>, RecordingHandler<OrderCancelled>>();
            services.AddScoped<INotificationHandler<RiderAssigned>, RecordingHandler<RiderAssigned>>();
            services.AddScoped<INotificationHandler<OrderTrackingChanged>, RecordingHandler<OrderTrackingChanged>>();
            services.AddScoped<INotificationHandler<AlertRaised>, RecordingHandler<AlertRaised>>();
            services.AddScoped<INotificationHandler<AlertResolved>, RecordingHandler<AlertResolved>>();
            if (Clock is not null)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }

            foreach (var name in _httpClientsToTestServer)
            {
                // The host's own test server, not this factory's Server property: that one starts a second host
                // when asked while the first is still starting (as a hosted service asking at start-up does).
                services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(
                    provider => ((TestServer)provider.GetRequiredService<IServer>()).CreateHandler());
            }

            if (!_ownKeyRing)
            {
                services.AddSingleton(SharedKeyRing);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (disposing)
        {
            _ownFolder?.Dispose();
        }
    }

    private sealed class RecordingHandler<T>(NotificationLog log) : INotificationHandler<T>
        where T : INotification
    {
        public ValueTask Handle(T notification, CancellationToken cancellationToken)
        {
            log.Record(notification);
            return ValueTask.CompletedTask;
        }
    }
}
