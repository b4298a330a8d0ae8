namespace Conversations.Abstractions.Storage;

/// <summary>Answers kept for idempotent stateless requests, per user and key, until they expire.</summary>
public interface IIdempotencyStore
{
    /// <summary>The record for the user's key, or null if there is none (expired records count as none).</summary>
    Task<IdempotencyRecord?> GetAsync(string userId, string key, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Stores the record, replacing an expired one for the same user and key.</summary>
    Task PutAsync(IdempotencyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Deletes records (and turn keys) that expired before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
