using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Responses;

namespace Conversations.Core.Conversations;

/// <summary>
/// One turn, as a route asks for it: the response's id (the caller's randomness), the new input items
/// (ids are given when they are accepted), and how to answer. On a conversation, what the request leaves
/// out — model, instructions, temperature, top_p, output token cap — comes from the conversation's
/// settings (see <see cref="TurnSettings"/>).
/// </summary>
/// <param name="Store">Whether the response is kept to be retrieved and continued (the Responses API's
/// <c>store</c>); a conversation keeps the turn's items either way.</param>
[GenerateSerializer, Immutable]
public sealed record TurnRequest(
    [property: Id(0)] string ResponseId,
    [property: Id(1)] ImmutableArray<Item> Input,
    [property: Id(2)] string? Model,
    [property: Id(3)] ResponseSettings Settings,
    [property: Id(4)] bool Store,
    [property: Id(5)] bool Background,
    [property: Id(6)] string? PreviousResponseId)
{
    /// <summary>Compact the context first once it has this many tokens (see <see cref="CreateResponse.CompactThreshold"/>); null for never.</summary>
    [Id(7)]
    public long? CompactThreshold { get; init; }
}
