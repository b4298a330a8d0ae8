using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.ApiHost.Tests.Responses;
using Conversations.Core.Context;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Context;

/// <summary>
/// Compaction against a fake upstream that enforces a 2,000-token window as OpenAI does: a conversation far
/// too long to send is compacted (its summary request fitted into the window), then answers with truncation
/// still disabled, sending the summary in place of every item before it, while every item stays listed.
/// <c>context_management</c> compacts before the turn that reaches its threshold, and only then.
/// </summary>
public sealed class CompactionTests(ContextHostFixture fixture) : IClassFixture<ContextHostFixture>
{
    private readonly HttpClient _client = fixture.Host.Client();

    [Fact]
    public async Task A_compacted_conversation_of_two_thousand_turns_answers_with_truncation_disabled_and_still_lists_every_item()
    {
        var marker = Guid.NewGuid().ToString("N");
        var conversation = await _client.CreateConversation($$$"""{"settings":{"model":"{{{ContextHostFixture.Model}}}","instructions":"Be brief."}}""");
        await AddTurns(conversation, marker, 2000);

        // Far too long to send whole, and truncation is disabled: refused before the upstream is called.
        using var refused = await _client.SendMessage(conversation, "Say too long");
        await refused.AssertError(HttpStatusCode.BadRequest, "context_length_exceeded");

        var summary = $"The user counted from 0 to 2000 {marker}.";
        fixture.Upstream.Enqueue(FakeResponse.CompletionOf(summary));
        var before = fixture.Upstream.ChatRequests.Count;
        using var compacted = await _client.PostAsync("/v1/responses/compact", Api.Json($$"""{"conversation":"{{conversation}}"}"""));
        var compaction = await compacted.ReadJson();
        Assert.True(compacted.StatusCode == HttpStatusCode.OK, $"compact answered {(int)compacted.StatusCode}: {compaction}");
        Assert.Equal("response.compaction", compaction.GetProperty("object").GetString());
        var item = Assert.Single(compaction.GetProperty("output").EnumerateArray());
        Assert.Equal(("compaction", summary), (item.GetProperty("type").GetString(), item.GetProperty("encrypted_content").GetString()));
        Assert.StartsWith("cmp_", item.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(compaction.GetProperty("id").GetString(), item.GetProperty("id").GetString());
        Assert.True(compaction.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);

        // The summary request held the newest items that fit the window, under the compaction prompt, and was not refused.
        var asked = Assert.Single(fixture.Upstream.ChatRequestsSince(before)).Messages();
        Assert.Equal($"system: {Compactions.SystemPrompt}", asked[0]);
        Assert.Equal($"user: {Compactions.Instruction}", asked[^1]);
        Assert.Contains(asked, line => line.StartsWith("user: Question 1999 ", StringComparison.Ordinal));
        Assert.DoesNotContain(asked, line => line.StartsWith("user: Question 0 ", StringComparison.Ordinal));
        Assert.Equal(0, fixture.Upstream.ContextRefusals);

        // The next turn sends the summary in place of the 4,000 items before it; truncation is still disabled.
        var answer = await _client.CreateResponse($$"""{"conversation":"{{conversation}}","input":"Say compacted {{marker}}"}""");
        Assert.Equal($"Compacted {marker}", ResponsesHttp.Text(answer.GetProperty("output")[0]));
        Assert.Equal(
            ["system: Be brief.", $"system: {Compactions.ContextLead}\n\n{summary}", $"user: Say compacted {marker}"],
            fixture.Upstream.Mentioning($"Say compacted {marker}")[^1].Messages());

        // Nothing left the history: every original item, then the compaction, then the turn.
        var items = await AllItems(conversation);
        Assert.Equal(4000 + 1 + 2, items.Count);
        Assert.StartsWith("Question 0 ", items[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(item.GetProperty("id").GetString(), items[4000].GetProperty("id").GetString());
        Assert.Equal("compaction", items[4000].GetProperty("type").GetString());

        // Asked again right after its own turn, it compacts that turn onto the summary it built on.
        fixture.Upstream.Enqueue(FakeResponse.CompletionOf($"Counted to 2000, then said compacted {marker}."));
        before = fixture.Upstream.ChatRequests.Count;
        using var again = await _client.PostAsync("/v1/responses/compact", Api.Json($$"""{"conversation":"{{conversation}}"}"""));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var secondAsk = Assert.Single(fixture.Upstream.ChatRequestsSince(before)).Messages();
        Assert.Equal([$"system: {Compactions.SystemPrompt}", $"system: {Compactions.ContextLead}\n\n{summary}", $"user: Say compacted {marker}", $"assistant: Compacted {marker}", $"user: {Compactions.Instruction}"], secondAsk);

        // With nothing new since, compacting again answers the same compaction without calling the model.
        before = fixture.Upstream.ChatRequests.Count;
        using var repeat = await _client.PostAsync("/v1/responses/compact", Api.Json($$"""{"conversation":"{{conversation}}"}"""));
        Assert.Equal((await again.ReadJson()).GetProperty("id").GetString(), (await repeat.ReadJson()).GetProperty("id").GetString());
        Assert.Equal(before, fixture.Upstream.ChatRequests.Count);
    }

    [Fact]
    public async Task Context_management_compacts_before_the_turn_that_reaches_its_threshold_and_not_before_the_next()
    {
        var marker = Guid.NewGuid().ToString("N");
        var conversation = await _client.CreateConversation($$$"""{"settings":{"model":"{{{ContextHostFixture.Model}}}"}}""");
        await AddTurns(conversation, marker, 30);
        using var counted = await _client.PostAsync("/v1/responses/input_tokens", Api.Json($$"""{"conversation":"{{conversation}}","input":"x"}"""));
        var tokens = (await counted.ReadJson()).GetProperty("input_tokens").GetInt64();
        Assert.InRange(tokens, 1000, 1500);

        fixture.Upstream.Enqueue(FakeResponse.CompletionOf($"Thirty questions {marker}."));
        var before = fixture.Upstream.ChatRequests.Count;
        const string managed = """
            "context_management":[{"type":"compaction","compact_threshold":1000}]
            """;
        var answer = await _client.CreateResponse($$"""{"conversation":"{{conversation}}","input":"Say managed {{marker}}",{{managed}}}""");
        Assert.Equal($"Managed {marker}", ResponsesHttp.Text(answer.GetProperty("output")[0]));

        var sent = fixture.Upstream.ChatRequestsSince(before);
        Assert.Equal(2, sent.Count);
        Assert.Equal($"user: {Compactions.Instruction}", sent[0].Messages()[^1]);
        Assert.Equal([$"system: {Compactions.ContextLead}\n\nThirty questions {marker}.", $"user: Say managed {marker}"], sent[1].Messages());
        var items = await AllItems(conversation);
        Assert.Equal(60 + 1 + 2, items.Count);
        Assert.Equal("compaction", items[60].GetProperty("type").GetString());

        // The context is small again: the next turn with the same setting is not compacted.
        before = fixture.Upstream.ChatRequests.Count;
        await _client.CreateResponse($$"""{"conversation":"{{conversation}}","input":"Say once {{marker}}",{{managed}}}""");
        Assert.Single(fixture.Upstream.ChatRequestsSince(before));
    }

    /// <summary>Adds <paramref name="turns"/> turns' worth of items (ten turns per call, the most the items API takes).</summary>
    private async Task AddTurns(string conversation, string marker, int turns)
    {
        for (var turn = 0; turn < turns; turn += 10)
        {
            var items = Enumerable.Range(turn, 10).SelectMany(t => new[]
            {
                new { type = "message", role = "user", content = $"Question {t} {marker}: what comes after {t}?" },
                new { type = "message", role = "assistant", content = $"After {t} comes {t + 1}." },
            });
            using var appended = await _client.PostAsync($"/v1/conversations/{conversation}/items", Api.Json(JsonSerializer.Serialize(new { items })));
            Assert.Equal(HttpStatusCode.OK, appended.StatusCode);
        }
    }

    private async Task<List<JsonElement>> AllItems(string conversation)
    {
        var all = new List<JsonElement>();
        string? after = null;
        while (true)
        {
            var page = await _client.Items(conversation, after is null ? "order=asc&limit=100" : $"order=asc&limit=100&after={after}");
            all.AddRange(page.GetProperty("data").EnumerateArray());
            if (!page.GetProperty("has_more").GetBoolean())
            {
                return all;
            }

            after = page.GetProperty("last_id").GetString();
        }
    }
}
