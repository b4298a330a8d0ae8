using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using OneOf;
using Orleans.Concurrency;

namespace Conversations.Abstractions.Grains;

/// <summary>
/// One response, keyed by its id (<c>resp_…</c>). A response that belongs to no conversation (one that
/// continues another through <c>previous_response_id</c>, or stands alone) runs its turn here; every stored
/// response, conversation or not, is retrieved, listed and deleted here. Anyone but its owner finds none.
/// </summary>
public interface IResponseGrain : IGrainWithStringKey
{
    /// <summary>Runs the response's turn, single-shot; it may run far longer than the default 30 s call timeout.</summary>
    [ResponseTimeout("00:30:00")]
    Task<OneOf<ResponseRecord, ConversationError>> Create(string ownerId, TurnRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether a <see cref="Create"/> call is being answered here now. A host waiting on a long single-shot call
    /// asks this to learn that the call was lost (its silo died); see the API host's <c>WatchedCall</c>.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> IsAnswering(CancellationToken cancellationToken = default);

    /// <summary>Runs the response's turn, streamed: disposing the enumeration early cancels the upstream request and keeps what arrived.</summary>
    IAsyncEnumerable<TurnEvent> Stream(string ownerId, TurnRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reading does not wait for a turn running here. A response running in the background is shown as far as it
    /// has got; one found in progress that nothing runs any more (lost with its silo) is ended as failed first.
    /// </summary>
    [AlwaysInterleave]
    Task<OneOf<ResponseRecord, ConversationError>> Get(string ownerId);

    /// <summary>Deletes the stored response; returns what was deleted. A conversation's items stay.</summary>
    Task<OneOf<ResponseRecord, ConversationError>> Delete(string ownerId);

    /// <summary>The response's input items, paged.</summary>
    [AlwaysInterleave]
    Task<OneOf<ItemPage, ConversationError>> InputItems(string ownerId, PageQuery query);

    /// <summary>
    /// The response's events from its first: while it runs in the background, followed (here or in its
    /// conversation's grain) until it ends; once it has finished, told again from the store. Leaving stops only the follower.
    /// </summary>
    [AlwaysInterleave]
    IAsyncEnumerable<TurnEvent> Follow(string ownerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels the response while it runs in the background: the upstream request is stopped and what arrived kept,
    /// as a cancelled response, which this returns once stored. A finished response is returned as it is.
    /// </summary>
    [AlwaysInterleave]
    Task<OneOf<ResponseRecord, ConversationError>> Cancel(string ownerId);
}
