using System.ClientModel;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Microsoft.Extensions.AI;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// Microsoft.Extensions.AI's <c>IChatClient</c> over the SDK's <c>ResponsesClient</c>
/// (<c>AsIChatClient</c>), as an agent framework uses it: given a <c>conv_…</c> id it keeps the
/// conversation on the server, and given none it hands back a <c>resp_…</c> id that continues the chain.
/// Each call sends only the new message; the history the upstream sees comes from the service.
/// <para>
/// Single-shot only: Microsoft.Extensions.AI.OpenAI 10.11 is built against OpenAI 2.14, whose
/// <c>CreateResponseStreamingAsync</c> returned an <c>AsyncCollectionResult</c>; OpenAI 2.15 returns a
/// <c>Task&lt;AsyncStreamingResult&gt;</c>, so its <c>GetStreamingResponseAsync</c> throws
/// <c>MissingMethodException</c> before any request is sent. Its single-shot path calls the SDK's
/// protocol method, which did not change.
/// </para>
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class ExtensionsAiChatClientTests(UpstreamHostFixture fixture) : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly IChatClient _chat = fixture.Host.Responses().AsIChatClient(Model);
    private readonly ConversationClient _conversations = fixture.Host.Conversations();

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task A_conversation_id_keeps_the_conversation_on_the_server_across_turns()
    {
        var conversationId = await _conversations.NewConversation();
        var options = new ChatOptions { ConversationId = conversationId };
        var before = _upstream.ChatRequests.Count;

        ChatResponse first = await _chat.GetResponseAsync("Say hello from the agent", options);
        ChatResponse second = await _chat.GetResponseAsync("Say and again", options);

        Assert.Equal("Hello from the agent", first.Text);
        Assert.Equal("And again", second.Text);
        Assert.Equal(conversationId, first.ConversationId);
        Assert.Equal(conversationId, second.ConversationId);
        Assert.StartsWith("resp_", second.ResponseId, StringComparison.Ordinal);
        var sent = _upstream.ChatRequestsSince(before);
        Assert.Equal(2, sent.Count);
        Assert.Equal(["user: Say hello from the agent", "assistant: Hello from the agent", "user: Say and again"], sent[1].Messages());
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(
            ["user: Say hello from the agent", "assistant: Hello from the agent", "user: Say and again", "assistant: And again"],
            items.Select(Sdk.Describe));
    }

    [Fact]
    public async Task Without_a_conversation_id_the_response_id_comes_back_and_continues_the_chain()
    {
        var before = _upstream.ChatRequests.Count;

        ChatResponse first = await _chat.GetResponseAsync("Say chained");
        ChatResponse second = await _chat.GetResponseAsync("Say still chained", new ChatOptions { ConversationId = first.ConversationId });
        ChatResponse third = await _chat.GetResponseAsync("Say chained to the end", new ChatOptions { ConversationId = second.ConversationId });

        Assert.StartsWith("resp_", first.ConversationId, StringComparison.Ordinal);
        Assert.Equal(first.ResponseId, first.ConversationId);
        Assert.StartsWith("resp_", second.ConversationId, StringComparison.Ordinal);
        Assert.NotEqual(first.ConversationId, second.ConversationId);
        Assert.Equal("Chained to the end", third.Text);
        var sent = _upstream.ChatRequestsSince(before);
        Assert.Equal(3, sent.Count);
        Assert.Equal(["user: Say chained", "assistant: Chained", "user: Say still chained"], sent[1].Messages());
        Assert.Equal(
            ["user: Say chained", "assistant: Chained", "user: Say still chained", "assistant: Still chained", "user: Say chained to the end"],
            sent[2].Messages());
    }

    [Fact]
    public async Task Chat_options_reach_the_upstream()
    {
        var before = _upstream.ChatRequests.Count;
        var options = new ChatOptions { Instructions = "Answer briefly.", Temperature = 0.25f, MaxOutputTokens = 64 };

        ChatResponse response = await _chat.GetResponseAsync("Say brief", options);

        Assert.Equal("Brief", response.Text);
        var sent = Assert.Single(_upstream.ChatRequestsSince(before));
        Assert.Equal(["system: Answer briefly.", "user: Say brief"], sent.Messages());
        Assert.Equal(0.25, sent.Json.GetProperty("temperature").GetDouble(), 5);
        Assert.Equal(64, sent.Json.GetProperty("max_tokens").GetInt32());
        Assert.Equal(Model, sent.Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task A_response_not_stored_hands_back_no_id_to_continue_from()
    {
        var options = new ChatOptions { RawRepresentationFactory = _ => new CreateResponseOptions { StoredOutputEnabled = false } };

        ChatResponse response = await _chat.GetResponseAsync("Say not kept", options);

        Assert.Equal("Not kept", response.Text);
        Assert.StartsWith("resp_", response.ResponseId, StringComparison.Ordinal);
        Assert.Null(response.ConversationId);
        var @continue = await Assert.ThrowsAsync<ClientResultException>(() => _chat.GetResponseAsync("Say more", new ChatOptions { ConversationId = response.ResponseId }));
        Assert.Equal(400, @continue.Status);
    }
}
