namespace Conversations.Core.Users;

[GenerateSerializer, Immutable]
public sealed record User(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] UserLimits Limits,
    [property: Id(3)] DateTimeOffset CreatedAt);
