using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>Stored responses: kept whole, found by id, followed back through their chain, and purged when they expire.</summary>
public abstract class ResponseStoreBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    private static readonly DateTimeOffset Now = Samples.Start;
    private static readonly DateTimeOffset Later = Samples.Start.AddDays(30);

    /// <summary>A response with every kind of item and every setting, so a lossy document would show.</summary>
    private static ResponseRecord Everything(string? previous = null) =>
        new(
            Id: Samples.NewId("resp"),
            OwnerId: "user_1",
            ConversationId: null,
            PreviousResponseId: previous,
            CreatedAt: Now,
            CompletedAt: Now.AddTicks(12_345),
            Status: ResponseStatus.Incomplete,
            Model: "gpt-4o-mini-2024-07-18",
            Settings: new ResponseSettings(
                Instructions: "Answer in French.",
                Temperature: 0.25,
                TopP: null,
                MaxOutputTokens: 64,
                Tools: [new FunctionTool("get_weather", "Gets the weather", """{"type":"object","properties":{"city":{"type":"string"}}}""", true), new FunctionTool("noop", null, null, null)],
                ToolChoice: new ToolChoice.Function("get_weather"),
                ParallelToolCalls: false,
                Text: new TextFormat.JsonSchema("answer", """{"type":"object","required":["a"],"properties":{"a":{"type":"string"}}}""", null, true),
                ReasoningEffort: "low",
                Truncation: Truncation.Auto,
                Metadata: ImmutableSortedDictionary<string, string>.Empty.Add("topic", "weather ☀"),
                User: "end-user-7",
                SafetyIdentifier: null,
                PromptCacheKey: "cache-1"),
            Input:
            [
                new MessageItem("msg_in", 1, ItemStatus.Completed, Now, null, MessageRole.User,
                    [new ContentPart.InputText("What is on this picture?"), new ContentPart.InputImage("data:image/png;base64,iVBORw0KGgo=", "low"), new ContentPart.InputFile("data:application/pdf;base64,JVBERi0=", "a.pdf")]),
                new FunctionCallOutputItem("fco_1", 2, ItemStatus.Completed, Now, null, "call_0", "{\"ok\":true}"),
            ],
            Output:
            [
                new MessageItem("msg_out", 3, ItemStatus.Completed, Now, null, MessageRole.Assistant,
                    [new ContentPart.OutputText("Il pleut", """[{"type":"url_citation","url":"https://example.com"}]""", "[]"), new ContentPart.Refusal("not that")]),
                new FunctionCallItem("fc_1", 4, ItemStatus.Incomplete, Now, new ReplyInfo(new TokenUsage(100, 20, 64, 8), "gpt-4o-mini-2024-07-18", "length", "chatcmpl-1"), "call_1", "get_weather", "{\"city\":\"Par"),
            ],
            Usage: new TokenUsage(100, 20, 64, 8),
            Error: null,
            IncompleteReason: "max_output_tokens",
            Stored: true,
            Background: false);

    [Fact]
    public async Task A_response_comes_back_exactly_as_it_was_stored()
    {
        var response = Everything();

        await Store.Responses.SaveAsync(response, Later);

        Expect.SameResponse(response, await Store.Responses.GetAsync(response.Id, Now));
    }

    [Fact]
    public async Task Where_truncation_started_what_was_sent_and_a_truncation_not_said_come_back_as_they_were()
    {
        var truncated = Everything() with { LeftOutBefore = "msg_in" };
        var unsaid = Everything() with { Id = Samples.NewId("resp"), Settings = Everything().Settings with { Truncation = null } };

        await Store.Responses.SaveAsync(truncated, Later);
        await Store.Responses.SaveAsync(unsaid, Later);

        Expect.SameResponse(truncated, await Store.Responses.GetAsync(truncated.Id, Now));
        Expect.SameResponse(unsaid, await Store.Responses.GetAsync(unsaid.Id, Now));
    }

    [Fact]
    public async Task A_later_state_of_a_response_replaces_the_earlier_one()
    {
        var running = Everything() with { Status = ResponseStatus.InProgress, Output = [], Usage = null, CompletedAt = null, IncompleteReason = null };
        await Store.Responses.SaveAsync(running, Later);
        var failed = running with { Status = ResponseStatus.Failed, Error = new ResponseFailure("server_error", "The upstream went away.") };

        await Store.Responses.SaveAsync(failed, Later);

        Expect.SameResponse(failed, await Store.Responses.GetAsync(running.Id, Now));
    }

    [Fact]
    public async Task An_unknown_deleted_or_expired_response_is_not_found()
    {
        var deleted = Everything();
        var expired = Everything();
        await Store.Responses.SaveAsync(deleted, Later);
        await Store.Responses.SaveAsync(expired, Now.AddDays(1));

        Assert.True(await Store.Responses.DeleteAsync(deleted.Id));
        Assert.False(await Store.Responses.DeleteAsync(deleted.Id));

        Assert.Null(await Store.Responses.GetAsync(deleted.Id, Now));
        Assert.Null(await Store.Responses.GetAsync("resp_unknown", Now));
        Assert.NotNull(await Store.Responses.GetAsync(expired.Id, Now));
        Assert.Null(await Store.Responses.GetAsync(expired.Id, Now.AddDays(1)));
    }

    [Fact]
    public async Task A_chain_comes_back_oldest_first_forks_included_and_no_longer_than_asked()
    {
        var root = Everything();
        var second = Everything(root.Id);
        var third = Everything(second.Id);
        var fork = Everything(second.Id);
        foreach (var response in new[] { root, second, third, fork })
        {
            await Store.Responses.SaveAsync(response, Later);
        }

        Assert.Equal([root.Id, second.Id, third.Id], (await Store.Responses.LoadChainAsync(third.Id, Now, 100)).Select(r => r.Id));
        Assert.Equal([root.Id, second.Id, fork.Id], (await Store.Responses.LoadChainAsync(fork.Id, Now, 100)).Select(r => r.Id));
        Assert.Equal([second.Id, third.Id], (await Store.Responses.LoadChainAsync(third.Id, Now, 2)).Select(r => r.Id));
        Assert.Empty(await Store.Responses.LoadChainAsync("resp_unknown", Now, 100));
    }

    [Fact]
    public async Task A_chain_stops_at_a_response_that_is_gone()
    {
        var root = Everything();
        var second = Everything(root.Id);
        var third = Everything(second.Id);
        await Store.Responses.SaveAsync(root, Now.AddDays(1));
        await Store.Responses.SaveAsync(second, Later);
        await Store.Responses.SaveAsync(third, Later);

        var chain = await Store.Responses.LoadChainAsync(third.Id, Now.AddDays(2), 100);

        Assert.Equal([second.Id, third.Id], chain.Select(r => r.Id));
        Assert.Equal(root.Id, chain[0].PreviousResponseId);
    }

    [Fact]
    public async Task The_purge_deletes_expired_responses_only()
    {
        var expiring = Everything();
        var lasting = Everything();
        await Store.Responses.SaveAsync(expiring, Now.AddDays(1));
        await Store.Responses.SaveAsync(lasting, Later);

        Assert.Equal(1, await Store.Responses.PurgeExpiredAsync(Now.AddDays(1)));

        Assert.Null(await Store.Responses.GetAsync(expiring.Id, Now));
        Assert.NotNull(await Store.Responses.GetAsync(lasting.Id, Now));
    }
}
