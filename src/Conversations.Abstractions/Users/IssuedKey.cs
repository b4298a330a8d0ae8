using Conversations.Core.Users;

namespace Conversations.Abstractions.Users;

/// <summary>A freshly issued key: the stored record, and the key itself, shown once.</summary>
[GenerateSerializer, Immutable]
public sealed record IssuedKey(
    [property: Id(0)] ApiKey Record,
    [property: Id(1)] string Key);
