using Conversations.Core.Messages;

namespace Conversations.Core.Items;

/// <summary>
/// One entry of a conversation's history (or of a response's input or output): a message, a function
/// call the model made, the output a client sent back for one, or a compaction (a summary of what came before). <see cref="Sequence"/> is the item's
/// 1-based position; in a conversation the store refuses a second item at a taken position, which is what
/// keeps a stale grain activation from writing after a failover.
/// </summary>
/// <param name="Id">Its id: <c>msg_…</c>, <c>fc_…</c>, <c>fco_…</c> or <c>cmp_…</c>.</param>
/// <param name="Reply">What the turn that produced this item reported (usage, model, why it stopped), on the
/// last item a turn produced; null on input items.</param>
[GenerateSerializer, Immutable]
public abstract record Item(
    [property: Id(0)] string Id,
    [property: Id(1)] long Sequence,
    [property: Id(2)] ItemStatus Status,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] ReplyInfo? Reply);
