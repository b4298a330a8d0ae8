using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Core.Conversations;

/// <summary>
/// Everything a conversation's rules look at: the conversation (null when there is none: never created,
/// or deleted), its whole history in sequence order, the idempotency keys of its recent turns, and
/// whether a turn is running. Changed only by <see cref="ConversationDecider.Evolve"/>.
/// </summary>
public sealed record ConversationState(
    Conversation? Conversation,
    ImmutableArray<Message> History,
    ImmutableDictionary<string, TurnKeyEntry> TurnKeys,
    TurnStatus Turn)
{
    public static readonly ConversationState None = new(null, [], ImmutableDictionary<string, TurnKeyEntry>.Empty, TurnStatus.IdleStatus);

    /// <summary>A conversation as loaded from the store: idle, with keys past their window dropped.</summary>
    public static ConversationState Loaded(
        Conversation conversation,
        ImmutableArray<Message> history,
        ImmutableDictionary<string, TurnKeyEntry> turnKeys,
        DateTimeOffset now) =>
        new(conversation, history, IdempotentTurns.Prune(turnKeys, now), TurnStatus.IdleStatus);

    public bool IsRunningTurn => Turn is TurnStatus.Running;

    /// <summary>The conversation, if it exists and belongs to <paramref name="ownerId"/>: anyone else sees none.</summary>
    public Conversation? OwnedBy(string ownerId) =>
        Conversation is { } conversation && conversation.OwnerId == ownerId ? conversation : null;
}
