namespace Conversations.Core.Upstream;

/// <summary>One entry of a Chat Completions <c>messages</c> array. <see cref="Role"/> is the wire name.</summary>
[GenerateSerializer, Immutable]
public sealed record UpstreamMessage(
    [property: Id(0)] string Role,
    [property: Id(1)] string Content);
