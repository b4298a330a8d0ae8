using System.Collections.Immutable;
using Conversations.Core.Items;

namespace Conversations.Core.Context;

/// <summary>
/// A validated <c>POST /v1/responses/compact</c> body: what to compact (a conversation, a chain ending at
/// <see cref="PreviousResponseId"/>, and/or the <see cref="Input"/> items) with which model.
/// </summary>
/// <param name="Id">The compaction's id (<c>cmp_…</c>): the caller's randomness, also the id of the item it makes.</param>
/// <param name="Model">The model asked for; null for the conversation's (or the default).</param>
[GenerateSerializer, Immutable]
public sealed record CompactRequest(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Model,
    [property: Id(2)] ImmutableArray<Item> Input,
    [property: Id(3)] string? ConversationId,
    [property: Id(4)] string? PreviousResponseId);
