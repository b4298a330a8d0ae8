using Conversations.Abstractions.Storage;

namespace Conversations.Abstractions.Idempotency;

/// <summary>The answer to a claim on an idempotency key; <see cref="Response"/> is set for a replay.</summary>
[GenerateSerializer, Immutable]
public sealed record IdempotencyClaim(
    [property: Id(0)] ClaimOutcome Outcome,
    [property: Id(1)] StoredResponse? Response);
