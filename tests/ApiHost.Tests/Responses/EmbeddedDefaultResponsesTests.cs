using Conversations.ApiHost.Tests.Infrastructure;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// The official SDK against the embedded default (no upstream key: the offline model answers), with only
/// the endpoint and the key changed: a response single-shot and streamed, a conversation held across
/// turns both ways and paged through, and a chain. The offline model answers only the last message, so
/// that a turn saw its history shows in the prompt tokens it was charged.
/// </summary>
public sealed class EmbeddedDefaultResponsesTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private const string Model = "offline";
    private readonly ResponsesClient _responses = fixture.Host.Responses();
    private readonly ConversationClient _conversations = fixture.Host.Conversations();

    [Fact]
    public async Task A_response_answers_single_shot()
    {
        ResponseResult response = await _responses.CreateResponseAsync(Model, "Say hello from the embedded default");

        Assert.Equal("Hello from the embedded default", response.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(Model, response.Model);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.True(response.Usage.OutputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task A_response_streams_in_several_deltas_and_completes()
    {
        var (text, completed, deltas) = await Streamed(Sdk.Ask(Model, "Say streaming works offline too"));

        Assert.Equal("Streaming works offline too", text);
        Assert.True(deltas >= 3, $"only {deltas} deltas");
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.Equal(text, completed.GetOutputText());
    }

    [Fact]
    public async Task A_conversation_holds_across_single_shot_turns_and_pages_through_its_items()
    {
        var conversationId = await _conversations.NewConversation();
        ResponseResult alone = await _responses.CreateResponseAsync(Model, "Say second turn");

        ResponseResult first = await _responses.CreateResponseAsync(OnConversation(conversationId, "Say first turn"));
        ResponseResult second = await _responses.CreateResponseAsync(OnConversation(conversationId, "Say second turn"));

        Assert.Equal("Second turn", second.GetOutputText());
        Assert.Equal(conversationId, second.ConversationOptions?.ConversationId);
        Assert.True(second.Usage.InputTokenCount > alone.Usage.InputTokenCount, $"the second turn was charged {second.Usage.InputTokenCount} prompt tokens, its message alone {alone.Usage.InputTokenCount}");
        var (items, pages) = await _conversations.AllItems(conversationId, limit: 1);
        Assert.Equal(["user: Say first turn", "assistant: First turn", "user: Say second turn", "assistant: Second turn"], items.Select(Sdk.Describe));
        Assert.Equal(4, pages);
        Assert.Equal(first.OutputItems.Single().Id, items[1].Id);
    }

    [Fact]
    public async Task A_conversation_holds_across_streamed_turns()
    {
        var conversationId = await _conversations.NewConversation();
        ResponseResult alone = await _responses.CreateResponseAsync(Model, "Say streamed second");

        var (firstText, _, _) = await Streamed(OnConversation(conversationId, "Say streamed first"));
        var (secondText, second, _) = await Streamed(OnConversation(conversationId, "Say streamed second"));

        Assert.Equal("Streamed first", firstText);
        Assert.Equal("Streamed second", secondText);
        Assert.True(second.Usage.InputTokenCount > alone.Usage.InputTokenCount, $"the second turn was charged {second.Usage.InputTokenCount} prompt tokens, its message alone {alone.Usage.InputTokenCount}");
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(["user: Say streamed first", "assistant: Streamed first", "user: Say streamed second", "assistant: Streamed second"], items.Select(Sdk.Describe));
    }

    [Fact]
    public async Task A_chain_carries_its_context_and_a_fork_carries_only_its_own()
    {
        ResponseResult root = await _responses.CreateResponseAsync(Model, "Say the root of the chain");
        ResponseResult alone = await _responses.CreateResponseAsync(Model, "Say next");

        ResponseResult next = await _responses.CreateResponseAsync(Model, "Say next", previousResponseId: root.Id);
        ResponseResult fork = await _responses.CreateResponseAsync(Model, "Say fork", previousResponseId: root.Id);
        ResponseResult last = await _responses.CreateResponseAsync(Model, "Say next", previousResponseId: next.Id);

        Assert.Equal("Next", next.GetOutputText());
        Assert.Equal(root.Id, fork.PreviousResponseId);
        Assert.True(next.Usage.InputTokenCount > alone.Usage.InputTokenCount);
        Assert.Equal(next.Usage.InputTokenCount, fork.Usage.InputTokenCount);
        Assert.True(last.Usage.InputTokenCount > next.Usage.InputTokenCount);
    }

    private static CreateResponseOptions OnConversation(string conversationId, string text)
    {
        var options = Sdk.Ask(Model, text);
        options.ConversationOptions = new ResponseConversationOptions(conversationId);
        return options;
    }

    private async Task<(string Text, ResponseResult Completed, int Deltas)> Streamed(CreateResponseOptions options)
    {
        var updates = await _responses.Stream(options);
        return (Sdk.TextOf(updates), Sdk.Completed(updates), updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Count());
    }
}
