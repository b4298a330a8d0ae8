using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Abstractions.Grains;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Grains.Tests.Harness;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Grains.Tests.Context;

/// <summary>
/// A turn fits its context into its model's window before the upstream is called: with <c>disabled</c> an
/// input that cannot fit is refused and the upstream never hears of it; with <c>auto</c> the oldest items are
/// left out of what is sent (never the instructions, system and developer messages, the newest input, or a
/// call without its output) and the stored history stays whole. The fake upstream enforces a window of its
/// own where a test sets one.
/// </summary>
[Collection(ContextCollection.Name)]
public sealed class ContextWindowTests(ContextCluster cluster) : IDisposable
{
    // About 110 tokens each: seven are more than the small model's budget of 750.
    private static string Long(int i, string marker) => $"Seed {i} {marker} " + string.Join(' ', Enumerable.Repeat("apple", 100));

    public void Dispose()
    {
        cluster.Fake.ContextWindow = null;
        cluster.Fake.ClearScript();
    }

    [Fact]
    public async Task With_truncation_disabled_a_conversation_over_its_window_is_refused_before_any_upstream_call()
    {
        var (grain, owner, marker) = await NewConversation(Truncation.Disabled, Pairs(5));
        var before = cluster.Fake.ChatRequests.Count;

        var refused = Expect.Failure<ResponseRecord, ConversationError, ConversationError.ContextLengthExceeded>(await grain.Send(owner, Requests.Send($"Say hi {marker}")));
        var streamed = Expect.RefusedStream(await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream($"Say hi {marker}"))));

        Assert.Equal((ContextCluster.SmallBudget, ContextCluster.SmallWindow, false), (refused.Fits, refused.Window, refused.Truncated));
        Assert.InRange(refused.Tokens, ContextCluster.SmallBudget + 1, 2 * ContextCluster.SmallWindow);
        Assert.Equal(refused, streamed);
        Assert.Equal(before, cluster.Fake.ChatRequests.Count);
        Assert.Equal(10, Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Length);
    }

    [Fact]
    public async Task With_truncation_auto_the_oldest_items_are_left_out_and_instructions_developer_messages_and_the_newest_input_are_kept()
    {
        var seeds = Pairs(6).Insert(3, Requests.Item(MessageRole.Developer, "Answer in English."));
        var (grain, owner, marker) = await NewConversation(Truncation.Auto, seeds, instructions: "Be brief.");

        var reply = Expect.Ok(await grain.Send(owner, Requests.Send($"Say latest {marker}")));

        var sent = cluster.Fake.Mentioning(marker).Single().Transcript();
        Assert.Equal("Latest " + marker, reply.Reply.Content);
        Assert.Equal("system: Be brief.", sent[0]);
        Assert.Contains("developer: Answer in English.", sent);
        Assert.Equal($"user: Say latest {marker}", sent[^1]);
        Assert.DoesNotContain(sent, line => line.Contains("Seed 0 ", StringComparison.Ordinal));
        Assert.Contains(sent, line => line.Contains("Seed 11 ", StringComparison.Ordinal));
        Assert.InRange(FakeContextWindow.PromptTokens(cluster.Fake.Mentioning(marker).Single().Json), 1, ContextCluster.SmallBudget);
        // What was sent is the newest part of the history, in order: the oldest items are what is missing.
        var seedsSent = sent.Where(line => line.Contains("Seed ", StringComparison.Ordinal)).Select(line => int.Parse(line.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(12 - seedsSent.Count, seedsSent.Count), seedsSent);
        // Nothing stored was changed: every item is still listed, and the turn added its two.
        Assert.Equal(15, Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Length);
    }

    [Fact]
    public async Task The_input_items_of_a_response_that_left_items_out_are_exactly_what_its_model_saw()
    {
        var seeds = Pairs(6).Insert(3, Requests.Item(MessageRole.Developer, "Answer in English."));
        var (grain, owner, marker) = await NewConversation(Truncation.Auto, seeds, instructions: "Be brief.");
        var response = Expect.Ok(await grain.Send(owner, Requests.Respond($"Say latest {marker}")));
        var listed = Expect.Ok(await cluster.Grain<IResponseGrain>(response.Id).InputItems(owner, Requests.Page(limit: 100))).Items;

        // Every message sent but the instructions (which are no item) is listed, in the order it was sent.
        var sent = cluster.Fake.Mentioning(marker).Single().Transcript();
        Assert.NotNull(response.LeftOutBefore);
        Assert.Equal(sent.Skip(1).Select(line => line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..]), listed.Select(item => item.Content));
        Assert.Equal("Answer in English.", listed[0].Content);
    }

    [Fact]
    public async Task With_truncation_auto_a_function_call_is_never_sent_without_its_output_nor_an_output_without_its_call()
    {
        var seeds = ImmutableArray.CreateBuilder<Item>();
        for (var i = 0; i < 8; i++)
        {
            seeds.Add(Requests.Item(MessageRole.User, $"Question {i} " + string.Join(' ', Enumerable.Repeat("pear", 20 + (i * 7 % 30)))));
            seeds.Add(Requests.Call($"call_{i}", "lookup", $$"""{"q":"{{string.Join(' ', Enumerable.Repeat("fig", 30 + (i * 11 % 40)))}}"}"""));
            seeds.Add(Requests.CallOutput($"call_{i}", string.Join(' ', Enumerable.Repeat("plum", 25 + (i * 13 % 35)))));
        }

        var (grain, owner, marker) = await NewConversation(Truncation.Auto, seeds.ToImmutable());

        Expect.Ok(await grain.Send(owner, Requests.Send($"Say done {marker}")));

        var sent = cluster.Fake.Mentioning(marker).Single().Transcript();
        var called = sent.Where(line => line.StartsWith("assistant calls", StringComparison.Ordinal)).Select(line => line.Split('#')[1].Split(' ')[0]).ToList();
        var answered = sent.Where(line => line.StartsWith("tool#", StringComparison.Ordinal)).Select(line => line[5..line.IndexOf(':', StringComparison.Ordinal)]).ToList();
        Assert.NotEmpty(called);
        Assert.DoesNotContain("call_0", called);
        Assert.Equal(called, answered);
    }

    [Fact]
    public async Task An_upstream_that_still_refuses_the_context_as_too_long_gets_one_retry_with_a_tighter_budget_under_auto()
    {
        var (grain, owner, marker) = await NewConversation(Truncation.Auto, Pairs(2));
        // The upstream's window is smaller than the configured one: what was fitted to 750 tokens is refused.
        cluster.Fake.ContextWindow = 400;
        var refusalsBefore = cluster.Fake.ContextRefusals;

        var reply = Expect.Ok(await grain.Send(owner, Requests.Send($"Say retried {marker}")));
        var streamed = await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream($"Say streamed {marker}")));

        var sent = cluster.Fake.Mentioning(marker);
        Assert.Equal("Retried " + marker, reply.Reply.Content);
        Assert.Equal("Streamed " + marker, TurnEvents.Text(streamed));
        Assert.Equal(4, sent.Count);
        Assert.Equal(2, cluster.Fake.ContextRefusals - refusalsBefore);
        Assert.True(sent[1].Transcript().Count < sent[0].Transcript().Count, "the retry sent as much as the refused request");
        Assert.InRange(FakeContextWindow.PromptTokens(sent[1].Json), 1, 400);
    }

    [Fact]
    public async Task With_truncation_disabled_the_upstreams_refusal_reaches_the_client_as_its_400_after_one_call()
    {
        var (grain, owner, marker) = await NewConversation(Truncation.Disabled, Pairs(2));
        cluster.Fake.ContextWindow = 400;

        var refused = Expect.Failure<ResponseRecord, ConversationError, ConversationError.Upstream>(await grain.Send(owner, Requests.Send($"Say once {marker}")));

        var bad = Assert.IsType<UpstreamError.BadRequest>(refused.Error);
        Assert.Equal("context_length_exceeded", bad.Code);
        Assert.Single(cluster.Fake.Mentioning(marker));
        Assert.Equal(400, ApiErrors.From(refused, grain.GetPrimaryKeyString()).Status);
    }

    [Fact]
    public async Task A_turn_counts_only_the_messages_added_since_the_last_one()
    {
        var (grain, owner, marker) = await NewConversation(Truncation.Auto, Pairs(2));

        Expect.Ok(await grain.Send(owner, Requests.Send($"Say first {marker}")));
        Expect.Ok(await grain.Send(owner, Requests.Send($"Say second {marker}")));
        Expect.Ok(await grain.Send(owner, Requests.Send($"Say third {marker}")));

        // Each seed once; each turn's input once as input and once more when the next turn first keeps it in
        // the history, however many turns follow. (The last seed, an assistant message that function calls
        // could still join, is counted once more, when what follows it settles it.)
        Assert.Equal(1, cluster.Counter.TimesCounted($"Seed 0 {marker}"));
        Assert.Equal(1, cluster.Counter.TimesCounted($"Seed 2 {marker}"));
        Assert.Equal(2, cluster.Counter.TimesCounted($"Seed 3 {marker}"));
        Assert.Equal(2, cluster.Counter.TimesCounted($"Say first {marker}"));
        Assert.Equal(2, cluster.Counter.TimesCounted($"Say second {marker}"));
    }

    [Fact]
    public async Task The_input_tokens_of_a_turn_are_what_the_upstream_then_counts_in_the_request_it_is_sent()
    {
        var (grain, owner, marker) = await NewConversation(Truncation.Disabled, Pairs(2), instructions: "Be brief.");
        var turn = Requests.Send($"Say counted {marker}");

        var counted = Expect.Ok(await grain.CountInputTokens(owner, turn));
        Expect.Ok(await grain.Send(owner, turn));

        // The fake counts on its own, with the same published rules: 3 per message and 3 for the reply.
        Assert.Equal(FakeContextWindow.PromptTokens(cluster.Fake.Mentioning(marker).Single().Json), counted);
        Expect.NotFound(await grain.CountInputTokens(Requests.NewOwnerId(), turn));
    }

    [Fact]
    public async Task Input_tokens_under_auto_are_those_of_what_would_be_sent()
    {
        var (grain, owner, marker) = await NewConversation(Truncation.Auto, Pairs(6));

        var counted = Expect.Ok(await grain.CountInputTokens(owner, Requests.Send($"Say counted {marker}")));
        var everything = Expect.Ok(await grain.CountInputTokens(owner, Requests.Send($"Say counted {marker}") with
        {
            Settings = ResponseSettings.Default with { Truncation = Truncation.Disabled },
        }));

        Assert.InRange(counted, 1, ContextCluster.SmallBudget);
        Assert.True(everything > ContextCluster.SmallBudget, $"{everything} tokens in all");
    }

    [Fact]
    public async Task A_chain_of_responses_is_fitted_the_same_way()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var settings = ResponseSettings.Default with { Truncation = Truncation.Auto };
        ResponseRecord? previous = null;
        for (var i = 0; i < 8; i++)
        {
            var request = Requests.Respond(Long(i, marker), settings, previousResponseId: previous?.Id) with { Model = ContextCluster.SmallModel };
            previous = Expect.Ok(await cluster.Grain<IResponseGrain>(request.ResponseId).Create(owner, request));
        }

        var sent = cluster.Fake.Mentioning(marker)[^1].Transcript();
        Assert.StartsWith("user: Seed 7 ", sent[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(sent, line => line.StartsWith("user: Seed 0 ", StringComparison.Ordinal));
        var listed = Expect.Ok(await cluster.Grain<IResponseGrain>(previous!.Id).InputItems(owner, Requests.Page(limit: 100))).Items;
        Assert.Equal(sent.Select(line => line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..]), listed.Select(item => item.Content));

        var disabled = Requests.Respond("Say more", ResponseSettings.Default, previousResponseId: previous!.Id) with { Model = ContextCluster.SmallModel };
        Expect.Failure<ResponseRecord, ConversationError, ConversationError.ContextLengthExceeded>(
            await cluster.Grain<IResponseGrain>(disabled.ResponseId).Create(owner, disabled));
    }

    [Fact]
    public async Task A_model_the_defaults_do_not_name_has_the_window_its_upstream_reports()
    {
        const string reported = "reported-window-model";
        cluster.Fake.Models = [.. cluster.Fake.Models, reported];
        cluster.Fake.ReportedWindows = new Dictionary<string, long> { [reported] = 600 };
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create(model: reported, items: [.. Pairs(4, marker)])));

        var refused = Expect.Failure<ResponseRecord, ConversationError, ConversationError.ContextLengthExceeded>(await grain.Send(owner, Requests.Send($"Say hi {marker}")));

        Assert.Equal((600L, 450L), (refused.Window, refused.Fits));
        Assert.Empty(cluster.Fake.Mentioning(marker));
    }

    private async Task<(IConversationGrain Grain, string Owner, string Marker)> NewConversation(Truncation truncation, ImmutableArray<Item> seeds, string? instructions = null)
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        var create = Requests.Create(instructions: instructions, model: ContextCluster.SmallModel);
        var items = seeds.Select(item => item is MessageItem { Content: [ContentPart.InputText { Text: var text }] } message && text.StartsWith("Seed ", StringComparison.Ordinal)
            ? message with { Content = [new ContentPart.InputText(text.Replace("{marker}", marker, StringComparison.Ordinal))] }
            : item is MessageItem { Content: [ContentPart.OutputText { Text: var answer }] } reply && answer.StartsWith("Seed ", StringComparison.Ordinal)
                ? reply with { Content = [ContentPart.OutputText.Of(answer.Replace("{marker}", marker, StringComparison.Ordinal))] }
                : item);
        Expect.Ok(await grain.Create(owner, create with
        {
            Settings = create.Settings with { Truncation = Change<Truncation>.To(truncation) },
            Items = [.. items],
        }));
        return (grain, owner, marker);
    }

    /// <summary><paramref name="count"/> user and assistant pairs of long messages, oldest first, marked with <c>{marker}</c> until a conversation gets its own.</summary>
    private static ImmutableArray<Item> Pairs(int count, string marker = "{marker}") =>
        [.. Enumerable.Range(0, count).SelectMany(i => new[]
        {
            Requests.Item(MessageRole.User, Long(2 * i, marker)),
            Requests.Item(MessageRole.Assistant, Long((2 * i) + 1, marker)),
        })];
}
