using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Operations;

/// <summary>
/// <c>/metrics</c> with <c>Metrics__Prometheus=true</c>: what a Prometheus scraper gets after real turns, each
/// instrument labelled by route, model, status or outcome and never by who or what conversation.
/// </summary>
public sealed class MetricsTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    /// <summary>A model no other test uses: the meter is the process's, so every host's turns reach every scraper in it.</summary>
    private const string Model = "metrics-test-model";

    private const string Messages = "POST /v1/conversations/{id}/messages";
    private const string ChatCompletions = "POST /v1/chat/completions";

    [Fact]
    public async Task Metrics_are_not_served_when_the_setting_is_off()
    {
        using var anonymous = fixture.Host.Client(key: null);

        using var response = await anonymous.GetAsync("/metrics");

        await response.AssertError(HttpStatusCode.NotFound, "unknown_url");
    }

    [Fact]
    public async Task After_turns_each_instrument_shows_its_route_model_and_status_and_never_an_id_or_a_key()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var host = await RunningApiHost.StartAsync(upstream, new Dictionary<string, string?> { ["Metrics:Prometheus"] = "true" });
        using var admin = host.Client(TestKeys.Admin);
        var alice = await admin.NewUser("metrics-alice");
        using var user = host.Client(alice.Key);
        using var anonymous = host.Client(key: null);
        var conversation = await user.CreateConversation($$$"""{"settings": {"model": "{{{Model}}}"}}""");

        await user.Turn(conversation, "Say this is a test!");
        using (var streamed = await user.StartStream(conversation, "Again, streamed"))
        {
            Assert.Equal("[DONE]", (await streamed.ReadEvents())[^1]);
        }

        using (var stateless = await user.PostAsync("/v1/chat/completions", Api.Json($$"""{"model": "{{Model}}", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}""")))
        {
            Assert.Equal(HttpStatusCode.OK, stateless.StatusCode);
            await stateless.Content.ReadAsStringAsync();
        }

        // A stream counted open while the model is still answering, then left by its client. (The fake's cut
        // stream names a model of its own.)
        var incompleteBefore = (await PrometheusSamples.Scrape(anonymous)).Sum("conversations_turn_duration_seconds_count", ("route", Messages), ("outcome", "incomplete")) ?? 0;
        upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 1));
        using (var stalled = await user.StartStream(conversation, "A long one"))
        {
            await Api.ReadEventsUntil(await stalled.Content.ReadAsStreamAsync(), read => read.Count >= 2);
            await Eventually.Holds(
                () => PrometheusSamples.Scrape(anonymous),
                metrics => metrics.Sum("conversations_streams_open", ("route", Messages)) >= 1,
                "the stream counted open");
        }

        var scraped = await Eventually.Holds(
            () => PrometheusSamples.Scrape(anonymous),
            metrics => metrics.Sum("conversations_turn_duration_seconds_count", ("route", Messages), ("outcome", "incomplete")) > incompleteBefore,
            "the stream its client left counted as an incomplete turn");

        Assert.True(scraped.Sum("conversations_http_requests_total", ("route", Messages), ("status", "200")) >= 3, "turns by route and status");
        Assert.True(scraped.Sum("conversations_http_requests_total", ("route", "POST /v1/conversations"), ("status", "200")) >= 1, "a route without ids is its path");
        Assert.True(scraped.Sum("conversations_tokens_total", ("model", Model), ("kind", "prompt")) > 0, "prompt tokens by model");
        Assert.True(scraped.Sum("conversations_tokens_total", ("model", Model), ("kind", "completion")) > 0, "completion tokens by model");
        Assert.True(scraped.Sum("conversations_turn_duration_seconds_count", ("model", Model), ("route", Messages), ("outcome", "completed")) >= 2, "a single-shot and a streamed turn");
        Assert.True(scraped.Sum("conversations_turn_duration_seconds_count", ("model", Model), ("route", ChatCompletions), ("outcome", "completed")) >= 1, "a stateless turn");
        Assert.NotEmpty(scraped.Matching("conversations_turn_duration_seconds_bucket", ("model", Model), ("route", Messages), ("le", "0.5")));
        Assert.True(scraped.Sum("conversations_turn_time_to_first_token_seconds_count", ("model", Model), ("route", Messages)) >= 1, "the streamed turn's first token");
        Assert.True(scraped.Sum("conversations_turn_time_to_first_token_seconds_count", ("model", Model), ("route", ChatCompletions)) >= 1, "the stateless stream's first token");
        Assert.NotEmpty(scraped.Matching("conversations_streams_open", ("route", ChatCompletions)));

        // Labels name routes and models, never who: no id of a user, key or conversation, and no key.
        string[] never = [alice.Id, alice.KeyId, alice.Key, conversation, TestKeys.Admin, TestKeys.DefaultUser, TestKeys.Upstream, "sk-"];
        Assert.All(never, text => Assert.DoesNotContain(text, scraped.Text, StringComparison.Ordinal));
        Assert.DoesNotMatch(@"\b(user|key|conv|resp|msg)_[0-9a-f]{8}", scraped.Text);
        string[] ours = ["route", "status", "model", "kind", "outcome", "le", "otel_scope_name"];
        Assert.All(
            scraped.Samples.Where(s => s.Name.StartsWith("conversations_", StringComparison.Ordinal)),
            sample => Assert.All(sample.Labels.Keys, label => Assert.Contains(label, ours)));
    }
}
