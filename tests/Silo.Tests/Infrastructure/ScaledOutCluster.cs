using System.Net.Http.Headers;
using Conversations.Abstractions.Grains;
using Conversations.Hosting.Cluster;
using Conversations.Testing.Databases;
using Conversations.Testing.FakeUpstream;
using Conversations.Testing.Network;
using Conversations.Testing.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace Conversations.Silo.Tests.Infrastructure;

/// <summary>
/// The production topology on one machine, from real parts: a Redis server for membership, a
/// PostgreSQL server for data, several <c>Silo</c> processes, several <c>ApiHost</c> processes as
/// Orleans clients, and a fake OpenAI upstream. The test process also joins as an Orleans client, to
/// ask the cluster where a grain lives.
/// </summary>
public sealed class ScaledOutCluster : IAsyncDisposable
{
    private readonly List<SiloNode> _silos = [];
    private readonly List<ApiNode> _apiHosts = [];
    private RedisServer? _redis;
    private PostgresServer? _postgres;
    private IHost? _client;
    private string _workingDirectory = null!;
    private Dictionary<string, string?> _common = null!;

    public FakeOpenAiServer Upstream { get; private set; } = null!;

    /// <summary>The cluster's one PostgreSQL server, which a test may stop and start again.</summary>
    public PostgresServer Postgres => _postgres!;

    /// <summary>The settings every silo and API host of the cluster is started with (connection strings, keys).</summary>
    public IReadOnlyDictionary<string, string?> Settings => _common;

    private bool UpstreamStarted => Upstream is not null;

    public IReadOnlyList<SiloNode> Silos => _silos;

    public IReadOnlyList<ApiNode> ApiHosts => _apiHosts;

    public IGrainFactory Grains => _client!.Services.GetRequiredService<IGrainFactory>();

    /// <param name="settings">Settings every process of the cluster gets besides the usual ones (the test's own client too).</param>
    public static async Task<ScaledOutCluster> StartAsync(int silos = 2, int apiHosts = 1, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var cluster = new ScaledOutCluster();
        try
        {
            await cluster.InitializeAsync(silos, apiHosts, settings ?? new Dictionary<string, string?>());
            return cluster;
        }
        catch
        {
            // Stop whatever did start; no test will get to dispose it.
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(int silos, int apiHosts, IReadOnlyDictionary<string, string?> settings)
    {
        _workingDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "conversations-cluster", Guid.NewGuid().ToString("N"))).FullName;
        // Each is kept as soon as it runs, so a failure of another still lets dispose stop it.
        await Task.WhenAll(
            Task.Run(async () => _redis = await RedisServer.StartAsync()),
            Task.Run(async () => _postgres = await PostgresServer.StartAsync()),
            Task.Run(async () => Upstream = await FakeOpenAiServer.StartAsync()));
        // A database of its own, as a connection string.
        var database = await _postgres!.CreateDatabaseAsync();
        _common = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = _redis!.Endpoint,
            ["ConnectionStrings:Postgres"] = database,
            ["Orleans:ClusterId"] = "conversations-test",
            ["OPENAI_BASE_URL"] = Upstream.BaseUrl,
            ["OPENAI_API_KEY"] = "sk-upstream-cluster-test",
            ["CONVERSATIONS_ADMIN_KEY"] = ClusterKeys.Admin,
            ["CONVERSATIONS_API_KEY"] = ClusterKeys.User,
            ["Upstream:RetryBaseDelay"] = "00:00:00.010",
            ["Upstream:MaxRetryDelay"] = "00:00:00.050",
            ["Orleans:Endpoints:AdvertisedIPAddress"] = "127.0.0.1",
        };
        foreach (var (key, value) in settings)
        {
            _common[key] = value;
        }

        for (var i = 0; i < silos; i++)
        {
            _silos.Add(StartSilo());
        }

        await Task.WhenAll(_silos.Select(s => s.Process.WaitForOutputAsync(line => line.Contains("Conversations silo running", StringComparison.Ordinal), TimeSpan.FromSeconds(90))));
        _client = await ConnectClientAsync();
        await WaitForActiveSilos(silos, TimeSpan.FromSeconds(60));

        for (var i = 0; i < apiHosts; i++)
        {
            _apiHosts.Add(await StartApiHostAsync());
        }
    }

    public SiloNode StartSilo()
    {
        var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());
        var environment = new Dictionary<string, string?>(_common)
        {
            ["Orleans:Endpoints:SiloPort"] = siloPort.ToString(),
            ["Orleans:Endpoints:GatewayPort"] = gatewayPort.ToString(),
            ["CONVERSATIONS_DRAIN_TIMEOUT"] = "00:00:05",
        };
        return new SiloNode(siloPort, DotnetProcess.Start("Silo.dll", [], environment, _workingDirectory)) { GatewayPort = gatewayPort };
    }

    /// <summary>
    /// Stops silo <paramref name="index"/> as an orchestrator would (SIGTERM, so it drains), starts a silo in its
    /// place, and returns once the cluster counts as many active silos as before.
    /// </summary>
    public async Task RestartSiloAsync(int index)
    {
        var stopping = _silos[index];
        await stopping.Process.TerminateAsync(TimeSpan.FromSeconds(60));
        await stopping.Process.DisposeAsync();
        var started = StartSilo();
        _silos[index] = started;
        await started.Process.WaitForOutputAsync(line => line.Contains("Conversations silo running", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        await WaitForActiveSilos(_silos.Count, TimeSpan.FromSeconds(60));
    }

    public async Task<ApiNode> StartApiHostAsync()
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string?>(_common)
        {
            ["CONVERSATIONS_SILO"] = "false",
            // A single-shot request lost with a killed silo (dotnet/orleans#10165) ends with 503 after two checks,
            // about 2 s here, so that a client's retry still lands within the tests' 10 s of the crash.
            ["ApiHost:TurnCheckInterval"] = "00:00:01",
        };
        var process = DotnetProcess.Start("ApiHost.dll", ["--urls", $"http://127.0.0.1:{port}"], environment, _workingDirectory);
        var node = new ApiNode(new Uri($"http://127.0.0.1:{port}"), process);
        await node.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
        return node;
    }

    /// <summary>The silo process the conversation's grain is active on, or null if it is active nowhere.</summary>
    public async Task<SiloNode?> SiloHostingAsync(string conversationId)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        var address = await management.GetActivationAddress(Grains.GetGrain<IConversationGrain>(conversationId));
        return address is null ? null : _silos.SingleOrDefault(s => s.SiloPort == address.Endpoint.Port);
    }

    public async Task WaitForActiveSilos(int count, TimeSpan deadline)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        var active = await Eventually.Within(() => ActiveSilos(management), n => n == count, deadline);
        if (active != count)
        {
            throw new TimeoutException($"The cluster did not reach {count} active silos within {deadline}; it has {active}.");
        }
    }

    /// <summary>How many silos are active, or -1 while the client is between gateways as the membership changes.</summary>
    private static async Task<int> ActiveSilos(IManagementGrain management)
    {
        try
        {
            return (await management.GetHosts(onlyActive: true)).Count;
        }
        catch (Exception)
        {
            return -1;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var api in _apiHosts)
        {
            await api.Process.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.Process.DisposeAsync();
        }

        if (_client is not null)
        {
            try
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.StopAsync(stop.Token);
            }
            catch (Exception)
            {
                // The silos are gone already; nothing to say goodbye to.
            }

            _client.Dispose();
        }

        if (UpstreamStarted)
        {
            await Upstream.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Starts an Orleans client of the cluster in this process, with the cluster's settings changed by
    /// <paramref name="changes"/>; it is connected when the returned task completes.
    /// </summary>
    public async Task<IHost> ConnectClientAsync(IReadOnlyDictionary<string, string?>? changes = null, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(_common);
        builder.Configuration.AddInMemoryCollection(changes ?? new Dictionary<string, string?>());
        builder.UseOrleansClient(client => client.AddConversationsClient(builder.Configuration));
        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await host.StartAsync(deadline.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }
}

public sealed record SiloNode(int SiloPort, DotnetProcess Process)
{
    public int GatewayPort { get; init; }
}

public sealed record ApiNode(Uri Address, DotnetProcess Process)
{
    public HttpClient Client(string key = ClusterKeys.User)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task WaitUntilServingAsync(TimeSpan deadline)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        if (!await Eventually.Within(() => Serving(probe), serving => serving, deadline))
        {
            throw new TimeoutException($"ApiHost did not start serving within {deadline}:\n{string.Join('\n', Process.Output.TakeLast(80))}");
        }
    }

    /// <summary>Any answer (401 without a key) means Kestrel is serving, which it does only after start-up.</summary>
    private async Task<bool> Serving(HttpClient probe)
    {
        if (Process.HasExited)
        {
            throw new InvalidOperationException($"ApiHost exited:\n{string.Join('\n', Process.Output)}");
        }

        try
        {
            using var response = await probe.GetAsync(new Uri(Address, "/v1/models"));
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
