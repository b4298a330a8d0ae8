using System.Collections.Immutable;
using Conversations.Core.Items;

namespace Conversations.Core.Responses;

/// <summary>A validated <c>POST /v1/responses</c> body.</summary>
/// <param name="Model">The model asked for; null when the request names none.</param>
/// <param name="Input">This request's own input items, without ids or positions yet; empty only when the
/// request continues a conversation or a previous response.</param>
/// <param name="ConversationId">The conversation whose items go before the input (sent as an id or as <c>{id}</c>); null for none.</param>
/// <param name="PreviousResponseId">The response this one continues; null for none. Never set together with <see cref="ConversationId"/>.</param>
/// <param name="Store">False for <c>store: false</c>: the response can then be neither retrieved nor continued.</param>
/// <param name="Include">The <c>include</c> values asked for, each once.</param>
[GenerateSerializer, Immutable]
public sealed record CreateResponse(
    [property: Id(0)] string? Model,
    [property: Id(1)] ImmutableArray<Item> Input,
    [property: Id(2)] string? ConversationId,
    [property: Id(3)] string? PreviousResponseId,
    [property: Id(4)] bool Store,
    [property: Id(5)] bool Stream,
    [property: Id(6)] bool Background,
    [property: Id(7)] ResponseSettings Settings,
    [property: Id(8)] ImmutableArray<string> Include)
{
    /// <summary>
    /// From <c>context_management</c>: compact the context before the turn once it has this many tokens
    /// (<see cref="Context.Compactions.NearTheWindow"/> for "near the model's window"); null for never.
    /// </summary>
    [Id(9)]
    public long? CompactThreshold { get; init; }
}
