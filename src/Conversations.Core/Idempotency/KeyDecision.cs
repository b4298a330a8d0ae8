namespace Conversations.Core.Idempotency;

/// <summary>What to do with a request sent with an idempotency key.</summary>
/// <typeparam name="TResult">What a repeat gets again (see <see cref="KeyRecord{TResult}"/>).</typeparam>
[GenerateSerializer, Immutable]
public abstract record KeyDecision<TResult>
{
    /// <summary>The key is new, expired or abandoned: run the request, then complete or release the key.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Run : KeyDecision<TResult>;

    /// <summary>The same request succeeded before: answer with what it produced, without running it again.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Replay([property: Id(0)] TResult Result) : KeyDecision<TResult>;

    /// <summary>The request may not run: <see cref="Errors.ApiErrors.From(KeyRefusal)"/> says how that is answered.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Refused([property: Id(0)] KeyRefusal Refusal) : KeyDecision<TResult>;
}
