using System.Net.Http.Headers;
using Conversations.Testing.FakeUpstream;
using Conversations.Testing.Network;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>
/// The real ApiHost — Kestrel on a loopback port, a co-hosted silo, SQLite in a temp directory — in
/// this test process. Configuration comes from an in-memory source layered over the defaults.
/// </summary>
public sealed class RunningApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDataDirectory;
    private bool _stopped;
    // A client that stops reading a stream closes the connection at once, as a browser or SDK does; by
    // default HttpClient would first drain the response for up to 2 s.
    private readonly HttpMessageHandler _handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), MaxResponseDrainSize = 0 };

    private RunningApiHost(WebApplication app, Uri address, string dataDirectory, bool ownsDataDirectory, CapturedLogs logs, IReadOnlyDictionary<string, string?> settings)
    {
        _app = app;
        Address = address;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        Logs = logs;
        Settings = settings;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public CapturedLogs Logs { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>
    /// Starts a host. <paramref name="upstream"/> makes it talk to a fake OpenAI server (otherwise the
    /// offline model answers); <paramref name="dataDirectory"/> reuses an earlier host's data (a restart).
    /// <paramref name="minimumLevel"/> puts every log category at that level, those the host's
    /// appsettings.json names included; null keeps logging as shipped.
    /// </summary>
    public static async Task<RunningApiHost> StartAsync(
        FakeOpenAiServer? upstream = null,
        IReadOnlyDictionary<string, string?>? overrides = null,
        string? dataDirectory = null,
        LogLevel? minimumLevel = LogLevel.Warning)
    {
        var ownsData = dataDirectory is null;
        dataDirectory ??= NewDataDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["CONVERSATIONS_DATA_DIR"] = dataDirectory,
            ["CONVERSATIONS_ADMIN_KEY"] = TestKeys.Admin,
            ["CONVERSATIONS_API_KEY"] = TestKeys.DefaultUser,
            ["Orleans:Endpoints:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:Endpoints:GatewayPort"] = FreePort.Next().ToString(),
            // Fast failure paths in tests; the defaults are minutes long.
            ["Upstream:AttemptTimeout"] = "00:00:10",
            ["Upstream:TotalTimeout"] = "00:00:20",
            ["Upstream:StreamIdleTimeout"] = "00:00:10",
            ["Upstream:RetryBaseDelay"] = "00:00:00.010",
            ["Upstream:MaxRetryDelay"] = "00:00:00.050",
            // Every test client calls from loopback, and many tests send wrong keys on purpose: only the
            // throttle's own tests (FailedKeyThrottleTests) set limits it would reach.
            ["FailedKeys:Limit"] = "100000",
            ["FailedKeys:SlowAfter"] = "100000",
        };
        if (upstream is not null)
        {
            settings["OPENAI_BASE_URL"] = upstream.BaseUrl;
            settings["OPENAI_API_KEY"] = TestKeys.Upstream;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var logs = new CapturedLogs();
        var app = ApiHostApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            if (minimumLevel is { } level)
            {
                builder.Configuration.AddInMemoryCollection(LogLevels.Everywhere(level));
                builder.Logging.SetMinimumLevel(level);
            }

            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // Whatever did start (the co-hosted silo) must not outlive the failed start.
            await app.DisposeAsync();
            if (ownsData)
            {
                TryDelete(dataDirectory);
            }

            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RunningApiHost(app, new Uri(address), dataDirectory, ownsData, logs, settings);
    }

    public static string NewDataDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "conversations-tests", Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>A client calling this host with <paramref name="key"/> (the default user's key unless told otherwise; null for none).</summary>
    public HttpClient Client(string? key = TestKeys.DefaultUser)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Stops the host but keeps its data, for a restart.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _handler.Dispose();
        if (_ownsDataDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
