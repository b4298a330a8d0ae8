using Conversations.Abstractions.Storage;
using Conversations.Hosting.Cluster;
using Conversations.Testing.FakeUpstream;
using Conversations.Upstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Conversations.Grains.Tests.Harness;

/// <summary>
/// One in-process silo wired as the product wires it (<c>AddConversationGrainServices</c>): a real SQLite
/// store in a fresh temporary directory and the real HTTP upstream adapter pointed at a fake OpenAI server on
/// loopback, with short upstream timeouts so failures show quickly. Shared by the tests of a collection,
/// which keep apart by using fresh conversation and user ids.
/// </summary>
public class GrainCluster : IAsyncLifetime
{
    public const string ProviderKey = "sk-proj-GrainTestsProviderKey0123456789";

    /// <summary>The service-wide concurrent-stream limit configured under <c>Limits</c>, unlike the built-in default.</summary>
    public const int ConfiguredConcurrentStreams = 7;

    private InProcessTestCluster? _cluster;
    private FakeOpenAiServer? _fake;
    private string? _dataDirectory;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public IClusterClient Client => Cluster.Client;

    public FakeOpenAiServer Fake => _fake ?? throw new InvalidOperationException("The fake upstream has not started.");

    /// <summary>The silo's own services: the store the grains write to.</summary>
    public IServiceProvider SiloServices => Cluster.Silos[0].ServiceProvider;

    public IConversationStore ConversationStore => SiloServices.GetRequiredService<IConversationStore>();

    public IUserStore UserStore => SiloServices.GetRequiredService<IUserStore>();

    public IUsageStore UsageStore => SiloServices.GetRequiredService<IUsageStore>();

    public static Dictionary<string, string?> Settings(string baseUrl, string dataDirectory) => new()
    {
        ["CONVERSATIONS_DATA_DIR"] = dataDirectory,
        [UpstreamOptions.BaseUrlVariable] = baseUrl,
        [UpstreamOptions.ApiKeyVariable] = ProviderKey,
        ["Upstream:AttemptTimeout"] = "00:00:05",
        ["Upstream:TotalTimeout"] = "00:00:10",
        ["Upstream:StreamIdleTimeout"] = "00:00:10",
        ["Upstream:ConnectTimeout"] = "00:00:02",
        ["Upstream:MaxRetries"] = "2",
        ["Upstream:RetryBaseDelay"] = "00:00:00.010",
        ["Upstream:MaxRetryDelay"] = "00:00:00.050",
        ["Upstream:MaxRetryAfter"] = "00:00:02",
        // Failure tests must not open the breaker for the tests after them.
        ["Upstream:CircuitBreaker:MinimumThroughput"] = "1000",
        ["Limits:UsageFlushInterval"] = "00:00:00.200",
        ["Limits:ConcurrentStreams"] = ConfiguredConcurrentStreams.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async Task InitializeAsync()
    {
        _fake = await FakeOpenAiServer.StartAsync();
        _dataDirectory = Directory.CreateTempSubdirectory("conversations-grain-tests-").FullName;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Settings(_fake.BaseUrl, _dataDirectory))
            .Build();

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddConversationGrainServices(configuration, ClusterSettings.From(configuration));
            ConfigureServices(silo.Services);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }

        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>What a cluster for particular tests changes in the silo's services, after the product's wiring.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public TGrain Grain<TGrain>(string key) where TGrain : IGrainWithStringKey => Client.GetGrain<TGrain>(key);

    /// <summary>Deactivates the grain's current activation and waits until it is gone, so the next call meets a fresh one.</summary>
    public Task DeactivateAsync(IAddressable grain) => Cluster.DeactivateAsync(grain);
}
