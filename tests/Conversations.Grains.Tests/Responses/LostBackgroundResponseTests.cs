using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Storage;
using Conversations.Core.Errors;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Grains.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Grains.Tests.Responses;

/// <summary>
/// A background response is stored in progress when it starts. Found so with nothing running it (its silo died
/// with the run), it ends failed at the next read, with what was stored, and stays so; its conversation takes
/// the next turn.
/// </summary>
[Collection(ConversationCollection.Name)]
public sealed class LostBackgroundResponseTests(GrainCluster cluster)
{
    private IResponseStore Store => cluster.SiloServices.GetRequiredService<IResponseStore>();

    [Fact]
    public async Task A_response_found_in_progress_that_nothing_runs_ends_failed_and_stays_so()
    {
        var owner = Requests.NewOwnerId();
        var stored = InProgress(owner, conversationId: null);
        await Store.SaveAsync(stored, DateTimeOffset.UtcNow.AddDays(1));
        var grain = cluster.Grain<IResponseGrain>(stored.Id);

        var read = Expect.Ok(await grain.Get(owner));
        await cluster.DeactivateAsync(grain);
        var readAgain = Expect.Ok(await grain.Get(owner));
        var cancelled = Expect.Ok(await grain.Cancel(owner));

        Assert.Equal(ResponseStatus.Failed, read.Status);
        Assert.Equal("server_error", read.Error?.Code);
        Expect.SameItems(stored.Input, read.Input);
        foreach (var same in new[] { readAgain, (await Store.GetAsync(stored.Id, DateTimeOffset.UtcNow))!, cancelled })
        {
            Assert.Equal((read.Status, read.Error), (same.Status, same.Error));
        }
    }

    [Fact]
    public async Task A_conversations_response_lost_with_its_run_ends_failed_and_the_conversation_takes_the_next_turn()
    {
        var owner = Requests.NewOwnerId();
        var conversation = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await conversation.Create(owner, Requests.Create(items: Requests.Item(MessageRole.User, "seed"))));
        var stored = InProgress(owner, conversation.GetPrimaryKeyString());
        await Store.SaveAsync(stored, null);

        var read = Expect.Ok(await cluster.Grain<IResponseGrain>(stored.Id).Get(owner));
        var next = Expect.Ok(await conversation.Send(owner, Requests.Respond("Say next")));

        Assert.Equal(ResponseStatus.Failed, read.Status);
        Assert.Equal(ResponseStatus.Completed, next.Status);
        Assert.Equal(["seed", "Say next", "Next"], Expect.Ok(await conversation.ListItems(owner, Requests.Page())).Items.Select(i => i.Content));
    }

    [Fact]
    public async Task Someone_else_finds_no_such_response_and_it_is_left_as_it_was()
    {
        var owner = Requests.NewOwnerId();
        var stored = InProgress(owner, conversationId: null);
        await Store.SaveAsync(stored, DateTimeOffset.UtcNow.AddDays(1));

        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await cluster.Grain<IResponseGrain>(stored.Id).Get(Requests.NewOwnerId())));

        Assert.Equal(ResponseStatus.InProgress, (await Store.GetAsync(stored.Id, DateTimeOffset.UtcNow))?.Status);
    }

    private static ResponseRecord InProgress(string owner, string? conversationId) =>
        TurnResponses.Started(
            ResponseIds.Prefix + Guid.NewGuid().ToString("N"), owner, conversationId, null, DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()), "gpt-4o-mini",
            ResponseSettings.Default, [Requests.Item(MessageRole.User, "Tell me a story")], stored: true, background: true);
}
