namespace Conversations.Core.Idempotency;

/// <summary>Why a request with an idempotency key may not run.</summary>
[GenerateSerializer, Immutable]
public abstract record KeyRefusal
{
    /// <summary>The key came with a different request before (answered 422 <c>idempotency_key_reused</c>).</summary>
    [GenerateSerializer, Immutable]
    public sealed record Reused : KeyRefusal;

    /// <summary>The first request with the key is still running (answered 409 <c>idempotency_key_in_use</c>, which the SDKs retry).</summary>
    [GenerateSerializer, Immutable]
    public sealed record InUse : KeyRefusal;
}
