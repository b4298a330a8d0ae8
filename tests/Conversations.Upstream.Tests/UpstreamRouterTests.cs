using Conversations.Abstractions.Upstream;
using Conversations.Core.Upstream;
using Conversations.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

public sealed class UpstreamRouterTests
{
    [Fact]
    public async Task With_no_upstream_the_offline_model_answers_and_is_the_default()
    {
        await using var services = Build(new Dictionary<string, string?>());
        var upstream = services.GetRequiredService<IChatUpstream>();

        var completion = (await upstream.CompleteAsync(Ask("Say this is a test!", "offline"), CancellationToken.None)).AsT0;
        var models = (await upstream.ListModelsAsync(CancellationToken.None)).AsT0;

        Assert.IsType<UpstreamRouter>(upstream);
        Assert.Equal("This is a test!", completion.Content);
        Assert.Equal(["offline"], models.Select(m => m.Id));
        Assert.Equal("offline", services.GetRequiredService<IOptions<UpstreamOptions>>().Value.DefaultModel);
    }

    [Fact]
    public async Task With_no_upstream_other_models_are_not_found_with_a_hint_how_to_configure_one()
    {
        await using var services = Build(new Dictionary<string, string?>());
        var upstream = services.GetRequiredService<IChatUpstream>();

        var single = (await upstream.CompleteAsync(Ask("hi", "gpt-4o"), CancellationToken.None)).AsT1;
        var streamed = Assert.Single(await CollectAsync(upstream.StreamAsync(Ask("hi", "gpt-4o", stream: true), CancellationToken.None))).AsT1;

        var notFound = Assert.IsType<UpstreamError.ModelNotFound>(single);
        Assert.Contains("'gpt-4o'", notFound.Message);
        Assert.Contains("OPENAI_API_KEY", notFound.Message);
        Assert.Contains("OPENAI_BASE_URL", notFound.Message);
        Assert.Equal(single, streamed);
    }

    [Fact]
    public async Task With_an_upstream_every_model_goes_to_it_and_the_offline_model_is_not_listed()
    {
        await using var harness = await StartAsync();

        var completion = (await harness.Upstream.CompleteAsync(Ask("hi", "gpt-4o-mini"), CancellationToken.None)).AsT0;
        var offlineNamed = (await harness.Upstream.CompleteAsync(Ask("hi", "offline"), CancellationToken.None)).AsT0;
        var models = (await harness.Upstream.ListModelsAsync(CancellationToken.None)).AsT0;

        Assert.Equal("You said: hi", completion.Content);
        Assert.Equal("You said: hi", offlineNamed.Content);
        Assert.Equal(["gpt-4o-mini", "offline"], harness.Fake.ChatRequests.Select(r => r.Json.GetProperty("model").GetString()));
        Assert.Equal(["gpt-4o-mini", "gpt-4o"], models.Select(m => m.Id));
        Assert.Equal("gpt-4o-mini", harness.Services.GetRequiredService<IOptions<UpstreamOptions>>().Value.DefaultModel);
    }

    [Fact]
    public async Task The_offline_model_can_be_kept_beside_an_upstream()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { [UpstreamOptions.OfflineModelVariable] = "true" });

        var offline = (await harness.Upstream.CompleteAsync(Ask("Say this is a test!", "offline"), CancellationToken.None)).AsT0;
        var streamed = await CollectAsync(harness.Upstream.StreamAsync(Ask("Say streamed offline", "offline", stream: true), CancellationToken.None));
        var real = (await harness.Upstream.CompleteAsync(Ask("hi", "gpt-4o"), CancellationToken.None)).AsT0;
        var models = (await harness.Upstream.ListModelsAsync(CancellationToken.None)).AsT0;

        Assert.Equal(("offline", "This is a test!"), (offline.Model, offline.Content));
        Assert.Equal("Streamed offline", string.Concat(streamed.Select(i => i.AsT0.ContentDelta)));
        Assert.Equal("You said: hi", real.Content);
        Assert.Single(harness.Fake.ChatRequests);
        Assert.Equal(["gpt-4o-mini", "gpt-4o", "offline"], models.Select(m => m.Id));
    }

    [Fact]
    public async Task A_key_alone_configures_openai_as_the_upstream()
    {
        await using var services = Build(new Dictionary<string, string?> { [UpstreamOptions.ApiKeyVariable] = "sk-only-a-key" });
        var options = services.GetRequiredService<IOptions<UpstreamOptions>>().Value;

        Assert.True(options.IsConfigured);
        Assert.False(options.OfflineModelActive);
        Assert.Equal("https://api.openai.com/v1", options.BaseUrl);
    }

    [Fact]
    public async Task The_upstreams_model_list_is_reused_until_it_expires()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await using var harness = await StartAsync(
            new Dictionary<string, string?> { ["Upstream:ModelsCacheDuration"] = "00:01:00" },
            services => services.AddSingleton<TimeProvider>(clock));

        await harness.Upstream.ListModelsAsync(CancellationToken.None);
        harness.Fake.Models = ["gpt-4.1"];
        clock.Advance(TimeSpan.FromSeconds(59));
        var cached = (await harness.Upstream.ListModelsAsync(CancellationToken.None)).AsT0;
        clock.Advance(TimeSpan.FromSeconds(2));
        var fresh = (await harness.Upstream.ListModelsAsync(CancellationToken.None)).AsT0;

        Assert.Equal(["gpt-4o-mini", "gpt-4o"], cached.Select(m => m.Id));
        Assert.Equal(["gpt-4.1"], fresh.Select(m => m.Id));
        Assert.Equal(2, harness.Fake.Requests.Count);
    }

    [Fact]
    public async Task A_failed_model_list_is_reported_and_not_cached()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:MaxRetries"] = "0" });
        harness.Fake.EnqueueModels(FakeResponse.Status(503));

        var failed = await harness.Upstream.ListModelsAsync(CancellationToken.None);
        var recovered = await harness.Upstream.ListModelsAsync(CancellationToken.None);

        Assert.IsType<UpstreamError.ServerError>(failed.AsT1);
        Assert.Equal(["gpt-4o-mini", "gpt-4o"], recovered.AsT0.Select(m => m.Id));
    }
}
