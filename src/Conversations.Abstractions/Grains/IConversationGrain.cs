using System.Collections.Immutable;
using Conversations.Core.Context;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using OneOf;
using Orleans.Concurrency;

namespace Conversations.Abstractions.Grains;

/// <summary>
/// One conversation, keyed by its id (<c>conv_…</c>). It holds the settings and the whole history,
/// runs one turn at a time, and answers <see cref="ConversationError.NotFound"/> to anyone but its owner.
/// </summary>
public interface IConversationGrain : IGrainWithStringKey
{
    Task<OneOf<Conversation, ConversationError>> Create(string ownerId, CreateConversation request);

    Task<OneOf<Conversation, ConversationError>> Get(string ownerId);

    Task<OneOf<Conversation, ConversationError>> Update(string ownerId, UpdateConversation request);

    /// <summary>Deletes the conversation and its history; returns what was deleted.</summary>
    Task<OneOf<Conversation, ConversationError>> Delete(string ownerId);

    Task<OneOf<ItemPage, ConversationError>> ListItems(string ownerId, PageQuery query);

    Task<OneOf<Item, ConversationError>> GetItem(string ownerId, string itemId);

    /// <summary>The items before position <paramref name="sequence"/>, oldest first: the context a response at that position was given.</summary>
    [AlwaysInterleave]
    Task<OneOf<ImmutableArray<Item>, ConversationError>> ItemsBefore(string ownerId, long sequence);

    /// <summary>Adds items without calling the model; returns them as stored (with their ids).</summary>
    Task<OneOf<ImmutableArray<Item>, ConversationError>> AppendItems(string ownerId, ImmutableArray<Item> items);

    /// <summary>Deletes one item; returns the conversation.</summary>
    Task<OneOf<Conversation, ConversationError>> DeleteItem(string ownerId, string itemId);

    /// <summary>
    /// A single-shot turn (answered from the stored turn when its idempotency key was seen before). It
    /// interleaves with other calls so that a second turn meets <see cref="ConversationError.Busy"/> at once
    /// instead of queueing behind the first, and it may run far longer than the default 30 s call timeout.
    /// </summary>
    [AlwaysInterleave]
    [ResponseTimeout("00:30:00")]
    Task<OneOf<ResponseRecord, ConversationError>> Send(string ownerId, TurnRequest request, IdempotencyKey? idempotency = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compacts the conversation: the model summarises its items into one compaction item, kept as the
    /// conversation's newest item, which later turns send in place of everything before it. It interleaves
    /// as <see cref="Send"/> does: it is a turn, and reads do not wait for it.
    /// </summary>
    [AlwaysInterleave]
    [ResponseTimeout("00:30:00")]
    Task<OneOf<CompactionResult, ConversationError>> Compact(string ownerId, CompactRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether a <see cref="Send"/> (or <see cref="Compact"/>) call for response <paramref name="responseId"/> is being answered here now.
    /// A host waiting on a long single-shot turn asks this to learn that the call was lost (its silo died).
    /// </summary>
    [AlwaysInterleave]
    Task<bool> IsAnswering(string responseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The input tokens a turn of <paramref name="request"/> would send (its context fitted as the turn would
    /// fit it), without calling the model; it does not wait for a running turn.
    /// </summary>
    [AlwaysInterleave]
    Task<OneOf<long, ConversationError>> CountInputTokens(string ownerId, TurnRequest request);

    /// <summary>
    /// A streamed turn. Disposing the enumeration early (the client went away) cancels the upstream
    /// request and keeps what arrived, marked incomplete. With an idempotency key seen before, the stored
    /// turn is streamed again instead of running the turn twice.
    /// </summary>
    IAsyncEnumerable<TurnEvent> Stream(string ownerId, TurnRequest request, IdempotencyKey? idempotency = null, CancellationToken cancellationToken = default);

    /// <summary>The response of turn <paramref name="responseId"/> as far as it has got, while it runs here in the background; null when it does not.</summary>
    [AlwaysInterleave]
    Task<ResponseRecord?> Running(string ownerId, string responseId);

    /// <summary>
    /// The events of turn <paramref name="responseId"/>, running here in the background, from its first, then as
    /// they come until it ends (told again from the store if it ended already). Leaving stops only the follower.
    /// </summary>
    [AlwaysInterleave]
    IAsyncEnumerable<TurnEvent> Follow(string ownerId, string responseId, CancellationToken cancellationToken = default);

    /// <summary>Cancels turn <paramref name="responseId"/> running here in the background; its response as stored, cancelled; null when it does not run here.</summary>
    [AlwaysInterleave]
    Task<ResponseRecord?> Cancel(string ownerId, string responseId);
}
