using Conversations.Core.Upstream;
using Conversations.Testing.FakeUpstream;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

/// <summary>The provider key goes to the upstream and nowhere else.</summary>
public sealed class SecretsTests
{
    [Fact]
    public async Task The_key_is_sent_as_a_bearer_token_when_configured()
    {
        await using var harness = await StartAsync();

        await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);
        await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));
        await harness.Http.ListModelsAsync(CancellationToken.None);

        Assert.Equal(3, harness.Fake.Requests.Count);
        Assert.All(harness.Fake.Requests, request => Assert.Equal($"Bearer {ProviderKey}", request.Header("Authorization")));
        // Every request names the service, so an upstream's logs can tell its traffic apart.
        Assert.All(harness.Fake.Requests, request => Assert.Equal("Conversations/1.0", request.Header("User-Agent")));
    }

    [Fact]
    public async Task No_authorization_header_is_sent_without_a_key()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { [UpstreamOptions.ApiKeyVariable] = null });

        var completion = await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);
        await harness.Http.ListModelsAsync(CancellationToken.None);

        Assert.True(completion.IsT0);
        Assert.All(harness.Fake.Requests, request => Assert.Null(request.Header("Authorization")));
    }

    [Fact]
    public async Task The_key_can_be_sent_in_another_header_for_azure()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:ApiKeyHeader"] = "api-key" });

        await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);

        var request = Assert.Single(harness.Fake.Requests);
        Assert.Equal(ProviderKey, request.Header("api-key"));
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public async Task The_key_appears_in_no_log_line_even_with_tracing_on()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:MaxRetries"] = "1" });
        harness.Fake.Enqueue(
            FakeResponse.OpenAiError(401, $"Incorrect API key provided: {ProviderKey}.", "invalid_request_error", "invalid_api_key"),
            FakeResponse.OpenAiError(500, $"Echoing your key {ProviderKey}", "server_error"),
            FakeResponse.OpenAiError(500, $"Echoing your key {ProviderKey}", "server_error"));

        await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);
        var echoed = await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);
        await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));
        await harness.Http.ListModelsAsync(CancellationToken.None);

        var logs = harness.Logs.GetSnapshot();
        // The HTTP client logs request headers at Trace: proof that headers were logged, redacted.
        Assert.Contains(logs, record => record.Message.Contains("Authorization: *", StringComparison.Ordinal));
        Assert.All(logs, record => Assert.DoesNotContain(ProviderKey, record.ToString()));
        Assert.All(logs, record => Assert.DoesNotContain(ProviderKey, record.Exception?.ToString() ?? ""));
        Assert.DoesNotContain(ProviderKey, echoed.AsT1.Message);
        Assert.Contains("[redacted]", echoed.AsT1.Message);
    }

    [Fact]
    public async Task The_startup_line_names_the_upstream_without_its_key_or_credentials()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?>
        {
            [UpstreamOptions.BaseUrlVariable] = "https://user:hunter2@llm.example.test:8443/v1?api-key=" + ProviderKey,
        }, withFake: false);

        foreach (var service in harness.Services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        var line = Assert.Single(harness.Logs.GetSnapshot(), r => r.Category == typeof(UpstreamStartupReport).FullName);
        Assert.Equal("Upstream model server: https://llm.example.test:8443/v1 (provider key set: True); default model: gpt-4o-mini.", line.Message);
        Assert.DoesNotContain("hunter2", line.ToString());
        Assert.DoesNotContain(ProviderKey, line.ToString());
    }

    [Fact]
    public async Task The_startup_lines_say_plainly_when_the_offline_model_answers()
    {
        await using var services = Build(new Dictionary<string, string?>());

        foreach (var service in services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        var line = Assert.Single(services.GetFakeLogCollector().GetSnapshot(), r => r.Category == typeof(UpstreamStartupReport).FullName);
        Assert.StartsWith("OFFLINE MODEL ACTIVE: the built-in 'offline' model answers because no upstream is configured.", line.Message);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, line.Level);
    }
}
