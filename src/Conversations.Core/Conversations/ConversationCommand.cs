using System.Collections.Immutable;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;

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

    /// <param name="Stopping">The silo is draining: new turns belong on a silo that stays.</param>
    public sealed record BeginTurn(string OwnerId, IdempotencyKey? Key, bool Stopping) : ConversationCommand;

    /// <summary>
    /// Keeps the running turn: the user's message and the reply as far as it arrived. A reply whose
    /// upstream never said why it stopped (the client left, the upstream broke off, the silo stopped)
    /// is kept as incomplete.
    /// </summary>
    /// <param name="Prompt">What was sent upstream; counted only if the upstream reported no usage.</param>
    /// <param name="CountTokens">Counts a text's tokens, for usage the upstream did not report.</param>
    public sealed record CompleteTurn(
        string UserContent,
        TurnDraft Draft,
        ImmutableArray<UpstreamMessage> Prompt,
        string UserMessageId,
        string ReplyId,
        Func<string, long> CountTokens) : ConversationCommand;

    /// <summary>The running turn is over, stored or not: the conversation takes its next one.</summary>
    public sealed record EndTurn : ConversationCommand;
}
