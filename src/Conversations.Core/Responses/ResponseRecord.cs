using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Messages;

namespace Conversations.Core.Responses;

/// <summary>
/// One response: what a turn was asked (its settings and its own input items) and what it produced (its
/// output items, usage and how it ended). Every turn makes one; the Responses API stores and shows them,
/// a conversation's <c>/messages</c> turn shows only its reply.
/// </summary>
/// <param name="Id"><c>resp_…</c>.</param>
/// <param name="ConversationId">The conversation it belongs to, whose items preceded its input; null for none.</param>
/// <param name="PreviousResponseId">The response it continues (whose context and output preceded its input); null for none.</param>
/// <param name="Model">The model asked for, until the upstream names the one that answered.</param>
/// <param name="Input">This request's own input items (not the conversation's or the chain's earlier ones).</param>
/// <param name="Usage">Null until the response ends.</param>
/// <param name="IncompleteReason"><c>max_output_tokens</c> or <c>content_filter</c> for an incomplete response; null otherwise.</param>
/// <param name="Stored">False for <c>store: false</c>: it can then be neither retrieved nor continued.</param>
[GenerateSerializer, Immutable]
public sealed record ResponseRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string OwnerId,
    [property: Id(2)] string? ConversationId,
    [property: Id(3)] string? PreviousResponseId,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? CompletedAt,
    [property: Id(6)] ResponseStatus Status,
    [property: Id(7)] string Model,
    [property: Id(8)] ResponseSettings Settings,
    [property: Id(9)] ImmutableArray<Item> Input,
    [property: Id(10)] ImmutableArray<Item> Output,
    [property: Id(11)] TokenUsage? Usage,
    [property: Id(12)] ResponseFailure? Error,
    [property: Id(13)] string? IncompleteReason,
    [property: Id(14)] bool Stored,
    [property: Id(15)] bool Background)
{
    /// <summary>The lengths of the deltas its stream carried (see <see cref="Upstream.OutputDraft.Shape"/>), to tell it again exactly; empty when it was not streamed.</summary>
    [Id(16)]
    public ImmutableArray<int> StreamShape { get; init; } = [];

    /// <summary>
    /// When <c>truncation: "auto"</c> left the oldest items of its context out of what the model was sent: the
    /// id of the first item that was sent after them (the items before it, but system and developer messages,
    /// were left out; see <see cref="Context.SentItems"/>). Null when the model was sent everything.
    /// </summary>
    [Id(17)]
    public string? LeftOutBefore { get; init; }

    /// <summary>Equal when everything is, the input and output item by item.</summary>
    public bool Equals(ResponseRecord? other) =>
        other is not null
        && EqualityContract == other.EqualityContract
        && Id == other.Id
        && OwnerId == other.OwnerId
        && ConversationId == other.ConversationId
        && PreviousResponseId == other.PreviousResponseId
        && CreatedAt == other.CreatedAt
        && CompletedAt == other.CompletedAt
        && Status == other.Status
        && Model == other.Model
        && Settings.Equals(other.Settings)
        && Input.AsSpan().SequenceEqual(other.Input.AsSpan())
        && Output.AsSpan().SequenceEqual(other.Output.AsSpan())
        && Equals(Usage, other.Usage)
        && Equals(Error, other.Error)
        && IncompleteReason == other.IncompleteReason
        && Stored == other.Stored
        && Background == other.Background
        && StreamShape.AsSpan().SequenceEqual(other.StreamShape.AsSpan())
        && LeftOutBefore == other.LeftOutBefore;

    public override int GetHashCode() => HashCode.Combine(Id, Status, Input.Length, Output.Length);
}
