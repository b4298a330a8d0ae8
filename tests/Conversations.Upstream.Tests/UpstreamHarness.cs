using Conversations.Abstractions.Upstream;
using Conversations.Core.Upstream;
using Conversations.Testing.FakeUpstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OneOf;

namespace Conversations.Upstream.Tests;

/// <summary>
/// The upstream adapters wired exactly as the service wires them (<c>AddChatUpstream</c>), pointed at a fake
/// upstream on loopback, with short timeouts so failures show quickly and every log line captured.
/// </summary>
internal sealed class UpstreamHarness : IAsyncDisposable
{
    public const string ProviderKey = "sk-proj-HarnessSecret0123456789abcdefXYZ";

    private UpstreamHarness(FakeOpenAiServer? fake, ServiceProvider services)
    {
        FakeOrNull = fake;
        Services = services;
    }

    public FakeOpenAiServer Fake => FakeOrNull ?? throw new InvalidOperationException("This harness has no fake upstream.");

    public FakeOpenAiServer? FakeOrNull { get; }

    public ServiceProvider Services { get; }

    public IChatUpstream Upstream => Services.GetRequiredService<IChatUpstream>();

    public HttpChatUpstream Http => Services.GetRequiredService<HttpChatUpstream>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static Dictionary<string, string?> TestSettings(string? baseUrl) => new()
    {
        [UpstreamOptions.BaseUrlVariable] = baseUrl,
        [UpstreamOptions.ApiKeyVariable] = ProviderKey,
        ["Upstream:AttemptTimeout"] = "00:00:02",
        ["Upstream:TotalTimeout"] = "00:00:05",
        ["Upstream:StreamIdleTimeout"] = "00:00:01",
        ["Upstream:ConnectTimeout"] = "00:00:02",
        ["Upstream:MaxRetries"] = "2",
        ["Upstream:RetryBaseDelay"] = "00:00:00.010",
        ["Upstream:MaxRetryDelay"] = "00:00:00.050",
        ["Upstream:MaxRetryAfter"] = "00:00:02",
        ["Upstream:CircuitBreaker:MinimumThroughput"] = "1000",
    };

    /// <summary>Starts a fake upstream and the adapters; <paramref name="settings"/> override the test settings (null removes one).</summary>
    public static async Task<UpstreamHarness> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool withFake = true)
    {
        var fake = withFake ? await FakeOpenAiServer.StartAsync() : null;
        var values = TestSettings(fake?.BaseUrl);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return new UpstreamHarness(fake, Build(values, services));
    }

    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> values, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Where(pair => pair.Value is not null))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        configure?.Invoke(services);
        services.AddChatUpstream(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static UpstreamChatRequest Ask(string text, string model = "gpt-4o-mini", bool stream = false) =>
        new(model, [new UpstreamMessage("system", "Be brief."), new UpstreamMessage("user", text)], null, null, null, stream);

    public static async Task<List<OneOf<ChatCompletionChunk, UpstreamError>>> CollectAsync(
        IAsyncEnumerable<OneOf<ChatCompletionChunk, UpstreamError>> stream, CancellationToken cancellationToken = default)
    {
        var items = new List<OneOf<ChatCompletionChunk, UpstreamError>>();
        await foreach (var item in stream.WithCancellation(cancellationToken))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>Chunks folded as a turn folds them (<see cref="OutputFold"/>), from placeholders the upstream's own values replace.</summary>
    public static OutputDraft FoldDraft(IEnumerable<ChatCompletionChunk> chunks, string model = "gpt-4o-mini") =>
        chunks.Aggregate(OutputFold.Start("placeholder", DateTimeOffset.UnixEpoch, model, 1), (draft, chunk) => OutputFold.Step(draft, chunk, prefix => prefix).Draft);

    /// <summary>The text that arrived, in order.</summary>
    public static string TextOf(OutputDraft draft) =>
        string.Concat(draft.Items.OfType<DraftItem.Message>().SelectMany(message => message.Text));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (FakeOrNull is not null)
        {
            await FakeOrNull.DisposeAsync();
        }
    }
}
