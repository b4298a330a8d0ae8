namespace Conversations.Core.Users;

/// <summary>
/// A user's API key as stored: never the key itself, only its keyed hash (lowercase hex) and a short
/// visible prefix so people can tell their keys apart.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ApiKey(
    [property: Id(0)] string Id,
    [property: Id(1)] string UserId,
    [property: Id(2)] string Prefix,
    [property: Id(3)] string Hash,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? RevokedAt);
