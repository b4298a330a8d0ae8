using System.Collections.Immutable;
using Conversations.Core.Idempotency;
using Conversations.Core.Items;

namespace Conversations.Core.Conversations;

/// <summary>
/// Everything a conversation's rules look at: the conversation (null when there is none: never created,
/// or deleted), its items in sequence order (deleted ones left out), the last position ever taken (a
/// deleted item's position stays taken), what is remembered of its turns' idempotency keys (the result
/// is the turn's last item id, or its response id), and whether a turn is running. Changed only by
/// <see cref="ConversationDecider.Evolve"/>.
/// </summary>
public sealed record ConversationState(
    Conversation? Conversation,
    ImmutableArray<Item> History,
    long LastSequence,
    ImmutableDictionary<string, KeyRecord<string>> TurnKeys,
    TurnStatus Turn)
{
    public static readonly ConversationState None = new(null, [], 0, ImmutableDictionary<string, KeyRecord<string>>.Empty, TurnStatus.IdleStatus);

    /// <summary>A conversation as loaded from the store: idle, with keys that no longer count dropped.</summary>
    public static ConversationState Loaded(
        Conversation conversation,
        ImmutableArray<Item> history,
        long lastSequence,
        ImmutableDictionary<string, KeyRecord<string>> turnKeys,
        DateTimeOffset now) =>
        new(conversation, history, Math.Max(lastSequence, history.IsEmpty ? 0 : history[^1].Sequence), Prune(turnKeys, now), TurnStatus.IdleStatus);

    public bool IsRunningTurn => Turn is TurnStatus.Running;

    /// <summary>The position the next item takes: positions are 1, 2, 3, … and never reused.</summary>
    public long NextSequence => LastSequence + 1;

    /// <summary>The conversation, if it exists and belongs to <paramref name="ownerId"/>: anyone else sees none.</summary>
    public Conversation? OwnedBy(string ownerId) =>
        Conversation is { } conversation && conversation.OwnerId == ownerId ? conversation : null;

    /// <summary>The keys without those that no longer count, so they do not pile up over a long conversation.</summary>
    public static ImmutableDictionary<string, KeyRecord<string>> Prune(ImmutableDictionary<string, KeyRecord<string>> keys, DateTimeOffset now) =>
        keys.Values.Any(record => IdempotencyRules.Forgotten(record, now))
            ? keys.Where(pair => !IdempotencyRules.Forgotten(pair.Value, now)).ToImmutableDictionary()
            : keys;
}
