using System.ClientModel;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// A conversation held across several turns through the Responses API (<c>conversation</c> in
/// <c>CreateResponseOptions</c>), single-shot and streamed: each turn sends only its new message, the
/// upstream sees the whole history, and the conversation's items list every turn in order.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class ConversationTurnTests(UpstreamHostFixture fixture) : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly ResponsesClient _responses = fixture.Host.Responses();
    private readonly ConversationClient _conversations = fixture.Host.Conversations();

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task Three_single_shot_turns_each_send_the_history_upstream_and_the_items_list_them_in_order()
    {
        var conversationId = await _conversations.NewConversation();
        var before = _upstream.ChatRequests.Count;

        var first = await Turn(conversationId, "Say one");
        var second = await Turn(conversationId, "Say two");
        var third = await Turn(conversationId, "Say three");

        Assert.Equal(["One", "Two", "Three"], [first.GetOutputText(), second.GetOutputText(), third.GetOutputText()]);
        Assert.All([first, second, third], r => Assert.Equal(conversationId, r.ConversationOptions?.ConversationId));
        Assert.Equal(3, new[] { first.Id, second.Id, third.Id }.Distinct().Count());
        var sent = _upstream.ChatRequestsSince(before);
        Assert.Equal(3, sent.Count);
        Assert.Equal(["user: Say one"], sent[0].Messages());
        Assert.Equal(["user: Say one", "assistant: One", "user: Say two"], sent[1].Messages());
        Assert.Equal(["user: Say one", "assistant: One", "user: Say two", "assistant: Two", "user: Say three"], sent[2].Messages());

        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(
            ["user: Say one", "assistant: One", "user: Say two", "assistant: Two", "user: Say three", "assistant: Three"],
            items.Select(Sdk.Describe));
        Assert.Equal(third.OutputItems.Single().Id, items[^1].Id);
    }

    [Fact]
    public async Task Streamed_turns_hold_the_conversation_the_same_way()
    {
        var conversationId = await _conversations.NewConversation();
        var before = _upstream.ChatRequests.Count;

        var first = await StreamedTurn(conversationId, "Say streamed one");
        var second = await StreamedTurn(conversationId, "Say streamed two");

        Assert.Equal("Streamed one", first.Text);
        Assert.Equal("Streamed two", second.Text);
        Assert.Equal(conversationId, second.Completed.ConversationOptions?.ConversationId);
        var sent = _upstream.ChatRequestsSince(before);
        Assert.Equal(2, sent.Count);
        Assert.All(sent, r => Assert.True(r.Json.GetProperty("stream").GetBoolean()));
        Assert.Equal(["user: Say streamed one", "assistant: Streamed one", "user: Say streamed two"], sent[1].Messages());

        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(["user: Say streamed one", "assistant: Streamed one", "user: Say streamed two", "assistant: Streamed two"], items.Select(Sdk.Describe));
    }

    [Fact]
    public async Task Streamed_and_single_shot_turns_mix_on_one_conversation()
    {
        var conversationId = await _conversations.NewConversation();
        var before = _upstream.ChatRequests.Count;

        await Turn(conversationId, "Say plain");
        await StreamedTurn(conversationId, "Say streamed");
        await Turn(conversationId, "Say plain again");

        Assert.Equal(
            ["user: Say plain", "assistant: Plain", "user: Say streamed", "assistant: Streamed", "user: Say plain again"],
            _upstream.ChatRequestsSince(before)[^1].Messages());
    }

    [Fact]
    public async Task A_conversation_created_with_items_gives_them_to_the_first_turn()
    {
        var options = new ConversationCreationOptions();
        options.Items.Add(ResponseItem.CreateUserMessageItem("My name is Ada."));
        options.Items.Add(ResponseItem.CreateAssistantMessageItem("Nice to meet you, Ada."));
        ConversationResource conversation = await _conversations.CreateConversationAsync(options);
        var before = _upstream.ChatRequests.Count;

        await Turn(conversation.Id, "What is my name?");

        Assert.Equal(
            ["user: My name is Ada.", "assistant: Nice to meet you, Ada.", "user: What is my name?"],
            Assert.Single(_upstream.ChatRequestsSince(before)).Messages());
    }

    [Fact]
    public async Task Instructions_apply_to_their_own_turn_only_and_are_not_kept_as_items()
    {
        var conversationId = await _conversations.NewConversation();
        var before = _upstream.ChatRequests.Count;
        var first = Sdk.Ask(Model, "Say bonjour");
        first.ConversationOptions = new ResponseConversationOptions(conversationId);
        first.Instructions = "Answer in French.";

        await _responses.CreateResponseAsync(first);
        await Turn(conversationId, "Say hello");

        var sent = _upstream.ChatRequestsSince(before);
        Assert.Equal(["system: Answer in French.", "user: Say bonjour"], sent[0].Messages());
        Assert.Equal(["user: Say bonjour", "assistant: Bonjour", "user: Say hello"], sent[1].Messages());
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(["user: Say bonjour", "assistant: Bonjour", "user: Say hello", "assistant: Hello"], items.Select(Sdk.Describe));
    }

    [Fact]
    public async Task A_turn_on_a_deleted_conversation_is_a_404_and_calls_no_model()
    {
        var conversationId = await _conversations.NewConversation();
        await _conversations.DeleteConversationAsync(conversationId);
        var before = _upstream.ChatRequests.Count;

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Turn(conversationId, "Say anyone there?"));

        Assert.Equal(404, error.Status);
        Assert.Equal(before, _upstream.ChatRequests.Count);
    }

    private async Task<ResponseResult> Turn(string conversationId, string text)
    {
        var options = Sdk.Ask(Model, text);
        options.ConversationOptions = new ResponseConversationOptions(conversationId);
        return await _responses.CreateResponseAsync(options);
    }

    private async Task<(string Text, ResponseResult Completed)> StreamedTurn(string conversationId, string text)
    {
        var options = Sdk.Ask(Model, text);
        options.ConversationOptions = new ResponseConversationOptions(conversationId);
        var updates = await _responses.Stream(options);
        var completed = Sdk.Completed(updates);
        Assert.Equal(Sdk.TextOf(updates), completed.GetOutputText());
        return (Sdk.TextOf(updates), completed);
    }
}
