using System.ClientModel;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// Responses continued through <c>previous_response_id</c>: a chain carries its whole context to the
/// upstream, two responses continuing the same one fork without seeing each other, and a response
/// created with <c>store: false</c> can be neither retrieved nor continued.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class ResponseChainTests(UpstreamHostFixture fixture) : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly ResponsesClient _responses = fixture.Host.Responses();
    private readonly ConversationClient _conversations = fixture.Host.Conversations();

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task A_chain_of_three_sends_each_response_its_whole_context()
    {
        var before = _upstream.ChatRequests.Count;

        ResponseResult first = await _responses.CreateResponseAsync(Model, "Say alpha");
        ResponseResult second = await _responses.CreateResponseAsync(Model, "Say beta", previousResponseId: first.Id);
        ResponseResult third = await _responses.CreateResponseAsync(Model, "Say gamma", previousResponseId: second.Id);

        Assert.Equal(["Alpha", "Beta", "Gamma"], [first.GetOutputText(), second.GetOutputText(), third.GetOutputText()]);
        Assert.Null(first.PreviousResponseId);
        Assert.Equal(first.Id, second.PreviousResponseId);
        Assert.Equal(second.Id, third.PreviousResponseId);
        var sent = _upstream.ChatRequestsSince(before);
        Assert.Equal(3, sent.Count);
        Assert.Equal(["user: Say alpha", "assistant: Alpha", "user: Say beta"], sent[1].Messages());
        Assert.Equal(["user: Say alpha", "assistant: Alpha", "user: Say beta", "assistant: Beta", "user: Say gamma"], sent[2].Messages());
    }

    [Fact]
    public async Task Two_responses_continuing_the_same_one_each_see_only_their_own_branch()
    {
        ResponseResult root = await _responses.CreateResponseAsync(Model, "Say root");
        var before = _upstream.ChatRequests.Count;

        ResponseResult left = await _responses.CreateResponseAsync(Model, "Say left", previousResponseId: root.Id);
        ResponseResult right = await _responses.CreateResponseAsync(Model, "Say right", previousResponseId: root.Id);
        ResponseResult leftAgain = await _responses.CreateResponseAsync(Model, "Say left again", previousResponseId: left.Id);
        ResponseResult rightAgain = await _responses.CreateResponseAsync(Model, "Say right again", previousResponseId: right.Id);

        Assert.Equal(4, new[] { left.Id, right.Id, leftAgain.Id, rightAgain.Id }.Distinct().Count());
        var sent = _upstream.ChatRequestsSince(before);
        Assert.Equal(4, sent.Count);
        Assert.Equal(["user: Say root", "assistant: Root", "user: Say left"], sent[0].Messages());
        Assert.Equal(["user: Say root", "assistant: Root", "user: Say right"], sent[1].Messages());
        Assert.Equal(["user: Say root", "assistant: Root", "user: Say left", "assistant: Left", "user: Say left again"], sent[2].Messages());
        Assert.Equal(["user: Say root", "assistant: Root", "user: Say right", "assistant: Right", "user: Say right again"], sent[3].Messages());
    }

    [Fact]
    public async Task A_streamed_response_continues_a_chain_and_can_itself_be_continued()
    {
        ResponseResult first = await _responses.CreateResponseAsync(Model, "Say first");
        var options = Sdk.Ask(Model, "Say streamed second");
        options.PreviousResponseId = first.Id;
        var second = Sdk.Completed(await _responses.Stream(options));

        var before = _upstream.ChatRequests.Count;
        await _responses.CreateResponseAsync(Model, "Say third", previousResponseId: second.Id);

        Assert.Equal(
            ["user: Say first", "assistant: First", "user: Say streamed second", "assistant: Streamed second", "user: Say third"],
            Assert.Single(_upstream.ChatRequestsSince(before)).Messages());
    }

    [Fact]
    public async Task Instructions_are_not_carried_to_the_response_that_continues()
    {
        var before = _upstream.ChatRequests.Count;
        var first = Sdk.Ask(Model, "Say bonjour");
        first.Instructions = "Answer in French.";

        ResponseResult answered = await _responses.CreateResponseAsync(first);
        await _responses.CreateResponseAsync(Model, "Say hello", previousResponseId: answered.Id);

        var sent = _upstream.ChatRequestsSince(before);
        Assert.Equal(["system: Answer in French.", "user: Say bonjour"], sent[0].Messages());
        Assert.Equal(["user: Say bonjour", "assistant: Bonjour", "user: Say hello"], sent[1].Messages());
    }

    [Fact]
    public async Task A_response_not_stored_answers_but_can_be_neither_retrieved_nor_continued()
    {
        var options = Sdk.Ask(Model, "Say forget me");
        options.StoredOutputEnabled = false;

        ResponseResult response = await _responses.CreateResponseAsync(options);

        Assert.Equal("Forget me", response.GetOutputText());
        Assert.True(response.Patch.TryGetValue("$.store"u8, out bool stored));
        Assert.False(stored);
        var retrieve = await Assert.ThrowsAsync<ClientResultException>(() => _responses.GetResponseAsync(response.Id));
        Assert.Equal(404, retrieve.Status);
        var before = _upstream.ChatRequests.Count;
        var @continue = await Assert.ThrowsAsync<ClientResultException>(() => _responses.CreateResponseAsync(Model, "Say more", previousResponseId: response.Id));
        Assert.Equal(400, @continue.Status);
        Assert.Contains("previous_response_not_found", @continue.Message, StringComparison.Ordinal);
        Assert.Contains("Parameter: previous_response_id", @continue.Message, StringComparison.Ordinal);
        Assert.Equal(before, _upstream.ChatRequests.Count);
    }

    [Fact]
    public async Task A_response_not_stored_can_still_continue_a_stored_one()
    {
        ResponseResult first = await _responses.CreateResponseAsync(Model, "Say kept");
        var before = _upstream.ChatRequests.Count;
        var options = Sdk.Ask(Model, "Say not kept");
        options.PreviousResponseId = first.Id;
        options.StoredOutputEnabled = false;

        ResponseResult second = await _responses.CreateResponseAsync(options);

        Assert.Equal("Not kept", second.GetOutputText());
        Assert.Equal(["user: Say kept", "assistant: Kept", "user: Say not kept"], Assert.Single(_upstream.ChatRequestsSince(before)).Messages());
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => _responses.GetResponseAsync(second.Id))).Status);
    }

    [Fact]
    public async Task An_unknown_previous_response_is_a_400_naming_the_field_and_calls_no_model()
    {
        var before = _upstream.ChatRequests.Count;

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            _responses.CreateResponseAsync(Model, "Say hi", previousResponseId: "resp_00000000000000000000000000000000"));

        Assert.Equal(400, error.Status);
        Assert.Contains("previous_response_not_found", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, _upstream.ChatRequests.Count);
    }

    [Fact]
    public async Task A_conversation_and_a_previous_response_together_are_a_400_and_nothing_is_appended()
    {
        var conversationId = await _conversations.NewConversation();
        ResponseResult earlier = await _responses.CreateResponseAsync(Model, "Say earlier");
        var before = _upstream.ChatRequests.Count;
        var options = Sdk.Ask(Model, "Say both");
        options.ConversationOptions = new ResponseConversationOptions(conversationId);
        options.PreviousResponseId = earlier.Id;

        var error = await Assert.ThrowsAsync<ClientResultException>(() => _responses.CreateResponseAsync(options));

        Assert.Equal(400, error.Status);
        Assert.Contains("conversation", error.Message, StringComparison.Ordinal);
        Assert.Contains("previous_response_id", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, _upstream.ChatRequests.Count);
        Assert.Empty((await _conversations.AllItems(conversationId)).Items);
    }
}
