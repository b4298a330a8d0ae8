namespace Conversations.Abstractions.Storage;

/// <summary>A stateless request's idempotency key (scoped to its user), the request it protects, and its answer.</summary>
public sealed record IdempotencyRecord(
    string UserId,
    string Key,
    string RequestHash,
    StoredResponse Response,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
