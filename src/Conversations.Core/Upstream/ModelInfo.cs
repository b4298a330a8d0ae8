namespace Conversations.Core.Upstream;

/// <summary>One entry of <c>GET /v1/models</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] long Created,
    [property: Id(2)] string OwnedBy);
