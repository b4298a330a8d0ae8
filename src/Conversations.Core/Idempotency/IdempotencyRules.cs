using Conversations.Core.Requests;

namespace Conversations.Core.Idempotency;

/// <summary>
/// The rules of idempotency keys, for every scope that honours them: given what is remembered of a key,
/// the hash of the request that came with it and the time, run the request, replay its first result, or
/// refuse it. The caller keeps the record; these functions only decide and say what to remember next.
/// </summary>
public static class IdempotencyRules
{
    /// <summary>
    /// A request still running after this long is presumed abandoned (the host running it died without
    /// releasing the key), and the key may be taken over.
    /// </summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(30);

    public static KeyDecision<TResult> Decide<TResult>(KeyRecord<TResult>? remembered, string requestHash, DateTimeOffset now) => remembered switch
    {
        _ when remembered is null || Forgotten(remembered, now) => new KeyDecision<TResult>.Run(),
        KeyRecord<TResult>.Completed completed when completed.RequestHash == requestHash => new KeyDecision<TResult>.Replay(completed.Result),
        KeyRecord<TResult>.Running running when running.RequestHash == requestHash => new KeyDecision<TResult>.Refused(new KeyRefusal.InUse()),
        _ => new KeyDecision<TResult>.Refused(new KeyRefusal.Reused()),
    };

    /// <summary>The decision, and what to remember afterwards: a request that may run holds the key as running from now.</summary>
    public static (KeyDecision<TResult> Decision, KeyRecord<TResult>? Remembered) Claim<TResult>(KeyRecord<TResult>? remembered, string requestHash, DateTimeOffset now)
    {
        var decision = Decide(remembered, requestHash, now);
        return (decision, decision is KeyDecision<TResult>.Run ? new KeyRecord<TResult>.Running(requestHash, now) : remembered);
    }

    /// <summary>The request succeeded: its result is what a repeat gets for the next <see cref="IdempotencyKey.Window"/>.</summary>
    public static KeyRecord<TResult> Complete<TResult>(string requestHash, TResult result, DateTimeOffset now) =>
        new KeyRecord<TResult>.Completed(requestHash, result, now);

    /// <summary>The request failed or was abandoned: the key is free again, so a retry runs it. Nothing else is forgotten.</summary>
    public static KeyRecord<TResult>? Release<TResult>(KeyRecord<TResult>? remembered, string requestHash) =>
        remembered is KeyRecord<TResult>.Running running && running.RequestHash == requestHash ? null : remembered;

    /// <summary>
    /// True once a record no longer counts: a result older than <see cref="IdempotencyKey.Window"/>, or a
    /// request running for longer than <see cref="AbandonedAfter"/>. A caller may drop such records.
    /// </summary>
    public static bool Forgotten<TResult>(KeyRecord<TResult> remembered, DateTimeOffset now) => remembered switch
    {
        KeyRecord<TResult>.Completed completed => completed.At + IdempotencyKey.Window <= now,
        KeyRecord<TResult>.Running running => running.Since + AbandonedAfter <= now,
        _ => throw new ArgumentOutOfRangeException(nameof(remembered), remembered, "Unknown key record."),
    };
}
