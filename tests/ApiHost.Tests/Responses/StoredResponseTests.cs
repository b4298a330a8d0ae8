using System.ClientModel;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// Stored responses through the SDK: retrieved as they were created, deleted for good, and their input
/// items listed with the SDK's auto-pagination, which ends.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class StoredResponseTests(UpstreamHostFixture fixture) : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly ResponsesClient _responses = fixture.Host.Responses();
    private readonly ConversationClient _conversations = fixture.Host.Conversations();

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task A_retrieved_response_is_the_one_created()
    {
        ResponseResult first = await _responses.CreateResponseAsync(Model, "Say first");
        var options = Sdk.Ask(Model, "Say retrieved");
        options.PreviousResponseId = first.Id;
        options.Metadata["topic"] = "retrieval";
        ResponseResult created = await _responses.CreateResponseAsync(options);

        ResponseResult retrieved = await _responses.GetResponseAsync(created.Id);

        Assert.Equal(created.Id, retrieved.Id);
        Assert.Equal("Retrieved", retrieved.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, retrieved.Status);
        Assert.Equal(Model, retrieved.Model);
        Assert.Equal(first.Id, retrieved.PreviousResponseId);
        Assert.Equal("retrieval", retrieved.Metadata["topic"]);
        Assert.Equal(created.CreatedAt, retrieved.CreatedAt);
        Assert.Equal(created.Usage.TotalTokenCount, retrieved.Usage.TotalTokenCount);
        Assert.Equal(created.OutputItems.Select(i => i.Id), retrieved.OutputItems.Select(i => i.Id));
    }

    [Fact]
    public async Task A_deleted_response_is_gone_and_cannot_be_deleted_again()
    {
        ResponseResult created = await _responses.CreateResponseAsync(Model, "Say delete me");

        ResponseDeletionResult deleted = await _responses.DeleteResponseAsync(created.Id);

        Assert.True(deleted.Deleted);
        Assert.Equal(created.Id, deleted.ResponseId);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => _responses.GetResponseAsync(created.Id))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => _responses.DeleteResponseAsync(created.Id))).Status);
        var @continue = await Assert.ThrowsAsync<ClientResultException>(() => _responses.CreateResponseAsync(Model, "Say more", previousResponseId: created.Id));
        Assert.Equal(400, @continue.Status);
        Assert.Contains("previous_response_not_found", @continue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_items_page_one_by_one_newest_first_and_the_pagination_ends()
    {
        ResponseResult created = await _responses.CreateResponseAsync(Model,
        [
            ResponseItem.CreateUserMessageItem("Question one"),
            ResponseItem.CreateAssistantMessageItem("Answer one"),
            ResponseItem.CreateUserMessageItem("Question two"),
        ]);

        var newestFirst = await InputItems(new ResponseItemCollectionOptions(created.Id) { PageSizeLimit = 1 });
        var oldestFirst = await InputItems(new ResponseItemCollectionOptions(created.Id) { PageSizeLimit = 2, Order = ResponseItemCollectionOrder.Ascending });

        Assert.Equal(["user: Question two", "assistant: Answer one", "user: Question one"], newestFirst.Select(Sdk.Describe));
        Assert.Equal(["user: Question one", "assistant: Answer one", "user: Question two"], oldestFirst.Select(Sdk.Describe));
        Assert.Equal(3, newestFirst.Select(i => i.Id).Distinct().Count());
        Assert.Equal(newestFirst.Select(i => i.Id).Reverse(), oldestFirst.Select(i => i.Id));
    }

    [Fact]
    public async Task One_page_of_input_items_says_whether_more_follow()
    {
        ResponseResult created = await _responses.CreateResponseAsync(Model,
        [
            ResponseItem.CreateUserMessageItem("One"),
            ResponseItem.CreateUserMessageItem("Two"),
            ResponseItem.CreateUserMessageItem("Say three"),
        ]);

        ResponseItemCollectionPage first = await _responses.GetResponseInputItemCollectionPageAsync(
            new ResponseItemCollectionOptions(created.Id) { PageSizeLimit = 2, Order = ResponseItemCollectionOrder.Ascending });
        ResponseItemCollectionPage last = await _responses.GetResponseInputItemCollectionPageAsync(
            new ResponseItemCollectionOptions(created.Id) { PageSizeLimit = 2, Order = ResponseItemCollectionOrder.Ascending, AfterId = first.LastId });

        Assert.Equal(["user: One", "user: Two"], first.Data.Select(Sdk.Describe));
        Assert.True(first.HasMore);
        Assert.Equal(first.Data[^1].Id, first.LastId);
        Assert.Equal(["user: Say three"], last.Data.Select(Sdk.Describe));
        Assert.False(last.HasMore);
    }

    [Fact]
    public async Task Input_items_of_an_unknown_response_are_a_404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var _ in _responses.GetResponseInputItemsAsync("resp_00000000000000000000000000000000"))
            {
            }
        });

        Assert.Equal(404, error.Status);
    }

    /// <summary>
    /// A client whose stream broke resumes as the SDK does: <c>GetResponseStreamingAsync</c> with
    /// <c>StartingAfter</c> set to the last sequence number it saw. What it saw and what it gets then must
    /// be the original stream, with no event lost or repeated, so the text adds up.
    /// </summary>
    [Fact]
    public async Task A_client_cut_off_mid_text_resumes_after_the_last_event_it_saw_and_gets_the_rest_of_the_text()
    {
        var original = await _responses.Stream(Sdk.Ask(Model, "Say this stream breaks and resumes without losing a word"));
        var secondDelta = original.IndexOf(original.OfType<StreamingResponseOutputTextDeltaUpdate>().ElementAt(1));
        var seen = original[..(secondDelta + 1)];
        var id = seen.OfType<StreamingResponseCreatedUpdate>().Single().Response.Id;

        var resumed = await _responses.StreamAgain(id, startingAfter: seen[^1].SequenceNumber);

        Assert.Equal(
            "This stream breaks and resumes without losing a word",
            Sdk.TextOf(seen.Concat(resumed)));
        Assert.Equal(original.Skip(seen.Count).Select(u => (u.GetType(), u.SequenceNumber)), resumed.Select(u => (u.GetType(), u.SequenceNumber)));
        Assert.Equal(id, Sdk.Completed(resumed).Id);
    }

    [Fact]
    public async Task A_finished_response_streams_again_from_the_start()
    {
        ResponseResult created = await _responses.CreateResponseAsync(Model, "Say streamed again from the record");

        var replayed = await _responses.StreamAgain(created.Id);

        Assert.IsType<StreamingResponseCreatedUpdate>(replayed[0]);
        Assert.Equal(Enumerable.Range(0, replayed.Count), replayed.Select(u => u.SequenceNumber));
        Assert.Equal("Streamed again from the record", Sdk.TextOf(replayed));
        var completed = Sdk.Completed(replayed);
        Assert.Equal(created.Id, completed.Id);
        Assert.Equal(created.GetOutputText(), completed.GetOutputText());
    }

    [Fact]
    public async Task A_response_on_a_conversation_is_retrieved_with_it_and_deleting_the_response_keeps_the_conversations_items()
    {
        var conversationId = await _conversations.NewConversation();
        var options = Sdk.Ask(Model, "Say on the record");
        options.ConversationOptions = new ResponseConversationOptions(conversationId);
        ResponseResult created = await _responses.CreateResponseAsync(options);

        ResponseResult retrieved = await _responses.GetResponseAsync(created.Id);
        ResponseDeletionResult deleted = await _responses.DeleteResponseAsync(created.Id);

        Assert.Equal(conversationId, retrieved.ConversationOptions?.ConversationId);
        Assert.Equal("On the record", retrieved.GetOutputText());
        Assert.True(deleted.Deleted);
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(["user: Say on the record", "assistant: On the record"], items.Select(Sdk.Describe));
    }

    private async Task<List<ResponseItem>> InputItems(ResponseItemCollectionOptions options)
    {
        var items = new List<ResponseItem>();
        await foreach (var item in _responses.GetResponseInputItemsAsync(options))
        {
            items.Add(item);
            Assert.True(items.Count <= 10, $"the input items of {options.ResponseId} did not end after 10 items");
        }

        return items;
    }
}
