using Conversations.Abstractions.Grains;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Responses;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Responses;

/// <summary>
/// Responses that belong to no conversation (<c>POST /v1/responses</c> alone or with
/// <c>previous_response_id</c>): a response continues the chain it names, read from the store, and only its
/// owner may continue or read it; one not stored can be neither.
/// </summary>
[Collection(ConversationCollection.Name)]
public sealed class ResponseChainTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_response_that_continues_a_chain_sends_the_whole_chain_upstream()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        // The first response's instructions are for it alone: never carried forward.
        var first = await Create(owner, Requests.Respond($"Say first {marker}", ResponseSettings.Default with { Instructions = "Be brief." }));
        var second = await Create(owner, Requests.Respond("Say second", previousResponseId: first.Id));
        var thirdRequest = Requests.Respond("Say third", previousResponseId: second.Id);

        var events = await TurnEvents.CollectAsync(cluster.Grain<IResponseGrain>(thirdRequest.ResponseId).Stream(owner, thirdRequest));

        var third = Assert.IsType<TurnEvent.Completed>(events[^1]).Response;
        Assert.Equal(("Third", second.Id, null), (third.Reply.Content, third.PreviousResponseId, third.ConversationId));
        var sent = cluster.Fake.Mentioning(marker);
        Assert.Equal(["system: Be brief.", $"user: Say first {marker}"], sent[0].Transcript());
        Assert.Equal([$"user: Say first {marker}", $"assistant: First {marker}", "user: Say second"], sent[1].Transcript());
        Assert.Equal(
            [$"user: Say first {marker}", $"assistant: First {marker}", "user: Say second", "assistant: Second", "user: Say third"],
            sent[2].Transcript());

        // Each response keeps only its own input; the chain is what links them.
        Assert.Equal(["Say third"], Expect.Ok(await cluster.Grain<IResponseGrain>(third.Id).InputItems(owner, Requests.Page())).Items.Select(i => i.Content));
        Assert.Equal(third, Expect.Ok(await cluster.Grain<IResponseGrain>(third.Id).Get(owner)));
    }

    [Fact]
    public async Task A_function_call_round_trip_continues_through_the_chain()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var asked = await Create(owner, Requests.Respond($"Oslo {marker}", Requests.WithWeatherTool));
        var call = Assert.IsType<Core.Items.FunctionCallItem>(Assert.Single(asked.Output));

        var answered = await Create(owner, Requests.Respond([Requests.CallOutput(call.CallId, "minus 3")], Requests.WithWeatherTool, previousResponseId: asked.Id));

        Assert.Equal("The tool returned: minus 3", answered.Reply.Content);
        Assert.Equal(
            [$"user: Oslo {marker}", $"assistant calls get_weather#{call.CallId} {call.Arguments}", $"tool#{call.CallId}: minus 3"],
            cluster.Fake.Mentioning(marker)[^1].Transcript());
        Assert.True(cluster.Fake.Mentioning(marker)[^1].Has("tools"));
    }

    [Fact]
    public async Task A_fork_hears_only_its_own_branch()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var root = await Create(owner, Requests.Respond($"Say root {marker}"));
        var left = await Create(owner, Requests.Respond("Say left", previousResponseId: root.Id));
        var right = await Create(owner, Requests.Respond("Say right", previousResponseId: root.Id));

        await Create(owner, Requests.Respond("Say right again", previousResponseId: right.Id));

        var sent = cluster.Fake.Mentioning(marker);
        Assert.Equal([$"user: Say root {marker}", $"assistant: Root {marker}", "user: Say right"], sent[2].Transcript());
        Assert.Equal(
            [$"user: Say root {marker}", $"assistant: Root {marker}", "user: Say right", "assistant: Right", "user: Say right again"],
            sent[3].Transcript());
        Assert.Equal("Left", left.Reply.Content);
    }

    [Fact]
    public async Task Continuing_an_unknown_or_someone_elses_response_is_refused_before_the_model_is_called()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var mine = await Create(owner, Requests.Respond($"Say mine {marker}"));
        var unknown = ResponseIds.Prefix + Guid.NewGuid().ToString("N");

        var fromStranger = Requests.Respond($"Say stolen {marker}", previousResponseId: mine.Id);
        var fromNowhere = Requests.Respond($"Say lost {marker}", previousResponseId: unknown);

        Assert.Equal(
            new ConversationError.PreviousResponseNotFound(mine.Id),
            Expect.Failure(await cluster.Grain<IResponseGrain>(fromStranger.ResponseId).Create(Requests.NewOwnerId(), fromStranger)));
        Assert.Equal(
            new ConversationError.PreviousResponseNotFound(unknown),
            Expect.RefusedStream(await TurnEvents.CollectAsync(cluster.Grain<IResponseGrain>(fromNowhere.ResponseId).Stream(owner, fromNowhere))));
        Assert.Single(cluster.Fake.Mentioning(marker));
        // Neither refused response exists afterwards.
        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await cluster.Grain<IResponseGrain>(fromNowhere.ResponseId).Get(owner)));
    }

    [Fact]
    public async Task A_response_with_store_false_answers_but_can_be_neither_retrieved_nor_continued()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");

        var unstored = await Create(owner, Requests.Respond($"Say forget me {marker}", store: false));

        Assert.Equal(($"Forget me {marker}", false), (unstored.Reply.Content, unstored.Stored));
        var grain = cluster.Grain<IResponseGrain>(unstored.Id);
        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await grain.Get(owner)));
        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await grain.InputItems(owner, Requests.Page())));
        await cluster.DeactivateAsync(grain);
        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await grain.Get(owner)));
        var continuing = Requests.Respond("Say more", previousResponseId: unstored.Id);
        Assert.Equal(
            new ConversationError.PreviousResponseNotFound(unstored.Id),
            Expect.Failure(await cluster.Grain<IResponseGrain>(continuing.ResponseId).Create(owner, continuing)));
    }

    [Fact]
    public async Task A_stored_response_is_its_owners_from_any_activation_until_deleted()
    {
        var owner = Requests.NewOwnerId();
        var response = await Create(owner, Requests.Respond("Say kept"));
        var grain = cluster.Grain<IResponseGrain>(response.Id);

        await cluster.DeactivateAsync(grain);

        Assert.Equal(response, Expect.Ok(await grain.Get(owner)));
        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await grain.Get(Requests.NewOwnerId())));
        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await grain.Delete(Requests.NewOwnerId())));
        Assert.Equal(response, Expect.Ok(await grain.Delete(owner)));
        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await grain.Get(owner)));
        var continuing = Requests.Respond("Say more", previousResponseId: response.Id);
        Assert.Equal(
            new ConversationError.PreviousResponseNotFound(response.Id),
            Expect.Failure(await cluster.Grain<IResponseGrain>(continuing.ResponseId).Create(owner, continuing)));
    }

    private async Task<ResponseRecord> Create(string owner, TurnRequest request)
    {
        var response = Expect.Ok(await cluster.Grain<IResponseGrain>(request.ResponseId).Create(owner, request));
        Assert.Equal((request.ResponseId, ResponseStatus.Completed), (response.Id, response.Status));
        return response;
    }
}
