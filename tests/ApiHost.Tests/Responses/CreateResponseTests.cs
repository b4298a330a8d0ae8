using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using OpenAI.Conversations;
using OpenAI.Responses;
using TokenUsage = Conversations.Core.Messages.TokenUsage;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// One response on its own, created with the official SDK's <c>ResponsesClient</c> as against OpenAI:
/// single-shot it reads back text, status, usage and model; streamed, the updates arrive in OpenAI's order
/// and add up to the final response.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class CreateResponseTests(UpstreamHostFixture fixture) : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly ResponsesClient _responses = fixture.Host.Responses();
    private readonly ConversationClient _conversations = fixture.Host.Conversations();

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task A_single_shot_response_reads_back_its_text_status_model_and_usage()
    {
        _upstream.Enqueue(FakeResponse.Answer(FakeAnswer.Says("The service speaks Responses") with { Usage = new TokenUsage(31, 7, CachedTokens: 12, ReasoningTokens: 2) }));
        var before = _upstream.ChatRequests.Count;

        ResponseResult response = await _responses.CreateResponseAsync(Model, "Say the service speaks Responses");

        Assert.Equal("The service speaks Responses", response.GetOutputText());
        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(Model, response.Model);
        Assert.InRange(response.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Null(response.Error);
        Assert.Equal(31, response.Usage.InputTokenCount);
        Assert.Equal(7, response.Usage.OutputTokenCount);
        Assert.Equal(38, response.Usage.TotalTokenCount);
        Assert.Equal(12, response.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(2, response.Usage.OutputTokenDetails.ReasoningTokenCount);
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal(MessageRole.Assistant, message.Role);
        Assert.StartsWith("msg_", message.Id, StringComparison.Ordinal);
        var sent = Assert.Single(_upstream.ChatRequestsSince(before));
        Assert.Equal(Model, sent.Json.GetProperty("model").GetString());
        Assert.Equal(["user: Say the service speaks Responses"], sent.Messages());
    }

    [Fact]
    public async Task Instructions_reach_the_upstream_as_a_system_message_for_that_response_only()
    {
        var before = _upstream.ChatRequests.Count;
        var options = Sdk.Ask(Model, "Say bonjour");
        options.Instructions = "Answer in French.";

        ResponseResult response = await _responses.CreateResponseAsync(options);

        Assert.Equal("Bonjour", response.GetOutputText());
        Assert.Equal(["system: Answer in French.", "user: Say bonjour"], Assert.Single(_upstream.ChatRequestsSince(before)).Messages());
    }

    [Fact]
    public async Task A_streamed_response_arrives_in_openais_order_its_deltas_make_the_text_and_it_ends_completed_with_the_full_response()
    {
        var updates = await _responses.Stream(Sdk.Ask(Model, "Say streaming through the Responses API works"));

        const string Text = "Streaming through the Responses API works";
        var deltas = updates.OfType<StreamingResponseOutputTextDeltaUpdate>().ToList();
        Assert.Equal(FakeReplies.Pieces(Text).Count, deltas.Count);
        Type[] expected =
        [
            typeof(StreamingResponseCreatedUpdate),
            typeof(StreamingResponseInProgressUpdate),
            typeof(StreamingResponseOutputItemAddedUpdate),
            typeof(StreamingResponseContentPartAddedUpdate),
            .. deltas.Select(_ => typeof(StreamingResponseOutputTextDeltaUpdate)),
            typeof(StreamingResponseOutputTextDoneUpdate),
            typeof(StreamingResponseContentPartDoneUpdate),
            typeof(StreamingResponseOutputItemDoneUpdate),
            typeof(StreamingResponseCompletedUpdate),
        ];
        Assert.Equal(expected, updates.Select(u => u.GetType()));
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        Assert.Equal(Text, Sdk.TextOf(updates));
        Assert.Equal(Text, updates.OfType<StreamingResponseOutputTextDoneUpdate>().Single().Text);

        var created = updates.OfType<StreamingResponseCreatedUpdate>().Single().Response;
        Assert.Equal(ResponseStatus.InProgress, created.Status);
        var completed = Sdk.Completed(updates);
        Assert.Equal(created.Id, completed.Id);
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.Equal(Text, completed.GetOutputText());
        Assert.Equal(Model, completed.Model);
        Assert.True(completed.Usage.InputTokenCount > 0);
        Assert.Equal(deltas.Count, completed.Usage.OutputTokenCount);
        var itemId = updates.OfType<StreamingResponseOutputItemAddedUpdate>().Single().Item.Id;
        Assert.All(deltas, d => Assert.Equal(itemId, d.ItemId));
        Assert.Equal(itemId, Assert.Single(completed.OutputItems).Id);
    }

    [Fact]
    public async Task A_streamed_response_can_be_retrieved_afterwards_with_the_same_text()
    {
        var completed = Sdk.Completed(await _responses.Stream(Sdk.Ask(Model, "Say kept after streaming")));

        ResponseResult stored = await _responses.GetResponseAsync(completed.Id);
        Assert.Equal("Kept after streaming", stored.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, stored.Status);
    }

    [Fact]
    public async Task A_response_cut_by_max_output_tokens_ends_incomplete_with_that_reason()
    {
        _upstream.Enqueue(FakeResponse.Answer(FakeAnswer.Says("The beginning of a long") with { FinishReason = "length" }));
        var before = _upstream.ChatRequests.Count;
        var options = Sdk.Ask(Model, "Tell me a long story");
        options.MaxOutputTokenCount = 16;

        ResponseResult response = await _responses.CreateResponseAsync(options);

        Assert.Equal(ResponseStatus.Incomplete, response.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, response.IncompleteStatusDetails?.Reason);
        Assert.Equal("The beginning of a long", response.GetOutputText());
        Assert.Equal(16, response.MaxOutputTokenCount);
        Assert.Equal(16, Assert.Single(_upstream.ChatRequestsSince(before)).Json.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task A_streamed_response_cut_by_max_output_tokens_ends_with_response_incomplete()
    {
        _upstream.Enqueue(FakeResponse.Answer(FakeAnswer.Says("The beginning of a long") with { FinishReason = "length" }));
        var options = Sdk.Ask(Model, "Tell me a long story");
        options.MaxOutputTokenCount = 16;

        var updates = await _responses.Stream(options);

        var incomplete = Assert.IsType<StreamingResponseIncompleteUpdate>(updates[^1]);
        Assert.Equal(ResponseStatus.Incomplete, incomplete.Response.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, incomplete.Response.IncompleteStatusDetails?.Reason);
        Assert.Equal("The beginning of a long", incomplete.Response.GetOutputText());
        Assert.DoesNotContain(updates, u => u is StreamingResponseCompletedUpdate or StreamingResponseFailedUpdate);
    }

    [Fact]
    public async Task An_upstream_failure_mid_stream_ends_with_an_error_and_response_failed_and_the_conversation_keeps_the_partial_answer()
    {
        var conversationId = await _conversations.NewConversation();
        _upstream.Enqueue(FakeResponse.ErrorMidStream("The upstream broke down.", piecesBefore: 2));
        var options = Sdk.Ask(Model, "Tell me a story");
        options.ConversationOptions = new ResponseConversationOptions(conversationId);

        var updates = await _responses.Stream(options);

        Assert.Equal("One two", Sdk.TextOf(updates));
        var error = Assert.IsType<StreamingResponseErrorUpdate>(updates[^2]);
        Assert.False(string.IsNullOrEmpty(error.Code));
        Assert.False(string.IsNullOrEmpty(error.Message));
        var failed = Assert.IsType<StreamingResponseFailedUpdate>(updates[^1]);
        Assert.Equal(ResponseStatus.Failed, failed.Response.Status);
        Assert.False(string.IsNullOrEmpty(failed.Response.Error?.Message));
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(["user: Tell me a story", "assistant: One two"], items.Select(Sdk.Describe));
        Assert.Equal(MessageStatus.Incomplete, Assert.IsAssignableFrom<MessageResponseItem>(items[1]).Status);
    }

    [Fact]
    public async Task A_refusal_comes_back_as_a_refusal_part_single_shot_and_streamed()
    {
        const string Refusal = "I can't help with that.";
        _upstream.Enqueue(FakeResponse.Refusal(Refusal), FakeResponse.Refusal(Refusal));

        ResponseResult response = await _responses.CreateResponseAsync(Model, "Something forbidden");
        var updates = await _responses.Stream(Sdk.Ask(Model, "Something forbidden"));

        var part = Assert.Single(Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems)).Content);
        Assert.Equal(ResponseContentPartKind.Refusal, part.Kind);
        Assert.Equal(Refusal, part.Refusal);
        Assert.Equal(Refusal, string.Concat(updates.OfType<StreamingResponseRefusalDeltaUpdate>().Select(d => d.Delta)));
        Assert.Equal(Refusal, updates.OfType<StreamingResponseRefusalDoneUpdate>().Single().Refusal);
        var streamed = Sdk.Completed(updates);
        Assert.Equal(Refusal, Assert.Single(Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(streamed.OutputItems)).Content).Refusal);
    }
}
