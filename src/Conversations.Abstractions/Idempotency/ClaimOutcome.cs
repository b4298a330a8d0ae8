namespace Conversations.Abstractions.Idempotency;

[GenerateSerializer]
public enum ClaimOutcome
{
    /// <summary>The key is new (or expired): the caller runs the request and then completes or releases the key.</summary>
    Proceed,

    /// <summary>The same request succeeded before: answer with its stored response.</summary>
    Replay,

    /// <summary>The key came with a different request: 422.</summary>
    Reused,

    /// <summary>The first request with the key is still running: 409.</summary>
    InUse,
}
