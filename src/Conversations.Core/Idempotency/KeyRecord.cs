namespace Conversations.Core.Idempotency;

/// <summary>
/// What is remembered of an idempotency key, whatever it protects (a conversation's turn, a user's
/// stateless call): the request it first came with, and either that this request is still running or
/// what it produced. A key never seen is remembered as nothing (null).
/// </summary>
/// <typeparam name="TResult">What a repeat gets again: a reply's message id, a stored response.</typeparam>
public abstract record KeyRecord<TResult>(string RequestHash)
{
    /// <summary>The first request with the key has been running since <paramref name="Since"/>.</summary>
    public sealed record Running(string RequestHash, DateTimeOffset Since) : KeyRecord<TResult>(RequestHash);

    /// <summary>The first request with the key succeeded at <paramref name="At"/> and produced <paramref name="Result"/>.</summary>
    public sealed record Completed(string RequestHash, TResult Result, DateTimeOffset At) : KeyRecord<TResult>(RequestHash);
}
