using System.Collections.Immutable;

namespace Conversations.Core.Upstream;

/// <summary>
/// A Chat Completions request as the service sends it upstream. Absent sampling settings are left out
/// of the JSON so the upstream's defaults apply. A streamed request always asks for usage.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UpstreamChatRequest(
    [property: Id(0)] string Model,
    [property: Id(1)] ImmutableArray<UpstreamMessage> Messages,
    [property: Id(2)] double? Temperature,
    [property: Id(3)] double? TopP,
    [property: Id(4)] int? MaxTokens,
    [property: Id(5)] bool Stream)
{
    /// <summary>
    /// <see cref="Messages"/> already written as JSON, when the caller keeps them so (a conversation's
    /// history); null to have them written from <see cref="Messages"/>. Not carried across grain calls.
    /// </summary>
    [field: NonSerialized]
    public PreparedMessages? MessagesJson { get; init; }
}
