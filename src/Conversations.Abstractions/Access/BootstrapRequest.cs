namespace Conversations.Abstractions.Access;

/// <summary>
/// The keys a starting host was configured with, already hashed (null when not configured):
/// <c>CONVERSATIONS_ADMIN_KEY</c> and <c>CONVERSATIONS_API_KEY</c> (the default user's key).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BootstrapRequest(
    [property: Id(0)] string? AdminKeyHash,
    [property: Id(1)] string? DefaultUserKeyHash,
    [property: Id(2)] string? DefaultUserKeyPrefix);
