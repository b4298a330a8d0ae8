using Conversations.ApiHost;
using Conversations.Testing.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Bench.Service;

/// <summary>
/// The real ApiHost (<see cref="ApiHostApplication.Build"/>: co-hosted silo, Kestrel on loopback) in
/// this process, as shipped: default logging, default Orleans settings. Only what a benchmark must
/// change is set: the upstream, the keys, the data directory or PostgreSQL, and user limits high
/// enough never to refuse the load.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    public const string AdminKey = "sk-admin-be4c0000000000000000000000000000000000000000000001";
    public const string UserKey = "sk-conv-be4c0000000000000000000000000000000000000000000001";

    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private ServiceUnderTest(WebApplication app, Uri address, string dataDirectory)
    {
        _app = app;
        Address = address;
        _dataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    public Uri ChatUrl => new(Address, "/v1/chat/completions");

    public Uri ConversationsUrl => new(Address, "/v1/conversations");

    public Uri ResponsesUrl => new(Address, "/v1/responses");

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public Uri TurnUrl(string conversationId) => new(Address, $"/v1/conversations/{conversationId}/messages");

    /// <param name="extra">Settings beyond the bench's own (e.g. a context window for the bench model).</param>
    public static async Task<ServiceUnderTest> StartAsync(string upstreamBaseUrl, string? postgres = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "conversations-bench", Guid.NewGuid().ToString("N"))).FullName;
        var settings = new Dictionary<string, string?>
        {
            ["CONVERSATIONS_DATA_DIR"] = data,
            ["CONVERSATIONS_ADMIN_KEY"] = AdminKey,
            ["CONVERSATIONS_API_KEY"] = UserKey,
            ["OPENAI_BASE_URL"] = upstreamBaseUrl,
            ["OPENAI_API_KEY"] = "sk-bench-upstream",
            ["CONVERSATIONS_DEFAULT_MODEL"] = Upstream.BenchUpstream.Model,
            ["Orleans:Endpoints:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:Endpoints:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Counted as usual, but never reached by the load.
            ["Limits:RequestsPerMinute"] = "2000000000",
            ["Limits:ConcurrentStreams"] = "1000000",
            ["Limits:BackgroundResponses"] = "1000000",
            ["ConnectionStrings:Postgres"] = postgres,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }

        var app = ApiHostApplication.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ServiceUnderTest(app, new Uri(address), data);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
