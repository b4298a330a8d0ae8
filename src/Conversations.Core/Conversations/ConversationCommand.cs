using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Core.Responses;

namespace Conversations.Core.Conversations;

/// <summary>What a conversation is asked to do; <see cref="ConversationDecider.Decide"/> answers each one.</summary>
public abstract record ConversationCommand
{
    /// <param name="Defaults">The settings a conversation has when the request names none.</param>
    /// <param name="ItemIds">One fresh id per seed item (ids are the caller's randomness, not the rules').</param>
    public sealed record Create(
        string Id,
        string OwnerId,
        CreateConversation Request,
        ConversationSettings Defaults,
        ImmutableArray<string> ItemIds) : ConversationCommand;

    public sealed record Update(string OwnerId, UpdateConversation Request) : ConversationCommand;

    public sealed record Delete(string OwnerId) : ConversationCommand;

    /// <summary>Adds items without calling the model (<c>POST /v1/conversations/{id}/items</c>).</summary>
    public sealed record AppendItems(string OwnerId, ImmutableArray<Item> Items, ImmutableArray<string> ItemIds) : ConversationCommand;

    public sealed record DeleteItem(string OwnerId, string ItemId) : ConversationCommand;

    /// <param name="Stopping">The silo is draining: new turns belong on a silo that stays.</param>
    public sealed record BeginTurn(string OwnerId, IdempotencyKey? Key, bool Stopping) : ConversationCommand;

    /// <summary>
    /// Keeps the running turn: its response, whose input and output items (with their ids) are appended
    /// after the history. Output the upstream never finished is kept too, marked incomplete.
    /// </summary>
    public sealed record CompleteTurn(ResponseRecord Response) : ConversationCommand;

    /// <summary>The running turn is over, stored or not: the conversation takes its next one.</summary>
    public sealed record EndTurn : ConversationCommand;
}
