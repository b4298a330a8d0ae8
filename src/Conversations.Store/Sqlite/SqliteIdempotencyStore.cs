using Conversations.Abstractions.Storage;
using Conversations.Core.Requests;
using Conversations.Store.Rows;
using Microsoft.Data.Sqlite;

namespace Conversations.Store.Sqlite;

public sealed class SqliteIdempotencyStore(SqliteDatabase database) : IIdempotencyStore
{
    internal const string SelectRecord = $"""
        SELECT {IdempotencyRecordRow.Columns}
        FROM idempotency_records WHERE user_id = $user_id AND key = $key AND expires_at_ticks > $now_ticks
        """;

    internal const string UpsertRecord = """
        INSERT INTO idempotency_records (user_id, key, request_hash, status, content_type, headers, body, created_at_ticks, expires_at_ticks)
        VALUES ($user_id, $key, $request_hash, $status, $content_type, $headers, $body, $created_at_ticks, $expires_at_ticks)
        ON CONFLICT (user_id, key) DO UPDATE SET
            request_hash = excluded.request_hash,
            status = excluded.status,
            content_type = excluded.content_type,
            headers = excluded.headers,
            body = excluded.body,
            created_at_ticks = excluded.created_at_ticks,
            expires_at_ticks = excluded.expires_at_ticks
        """;

    internal const string DeleteExpiredRecords = "DELETE FROM idempotency_records WHERE expires_at_ticks <= $now_ticks";

    internal const string DeleteOldTurnKeys = "DELETE FROM turn_keys WHERE created_at_ticks <= $cutoff_ticks";

    public async Task<IdempotencyRecord?> GetAsync(string userId, string key, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            using var reader = session.Statement(SelectRecord)
                .With("$user_id", userId)
                .With("$key", key)
                .With("$now_ticks", StoredValues.ToTicks(now))
                .ExecuteReader();
            return reader.Read() ? IdempotencyRecordRow.Read(reader, userId, key) : null;
        }, cancellationToken).ConfigureAwait(false);

    public async Task PutAsync(IdempotencyRecord record, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(session =>
            session.Statement(UpsertRecord)
                .With("$user_id", record.UserId)
                .With("$key", record.Key)
                .With("$request_hash", record.RequestHash)
                .With("$status", record.Response.Status)
                .With("$content_type", record.Response.ContentType)
                .With("$headers", StoredValues.StringMapJson(record.Response.Headers))
                .With("$body", record.Response.Body)
                .With("$created_at_ticks", StoredValues.ToTicks(record.CreatedAt))
                .With("$expires_at_ticks", StoredValues.ToTicks(record.ExpiresAt))
                .ExecuteNonQuery(), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Deletes the records expired at <paramref name="now"/> and the turn keys older than
    /// <see cref="IdempotencyKey.Window"/>, in one transaction; returns how many rows of both went.
    /// </summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(session =>
            session.Statement(DeleteExpiredRecords).With("$now_ticks", StoredValues.ToTicks(now)).ExecuteNonQuery()
            + session.Statement(DeleteOldTurnKeys).With("$cutoff_ticks", StoredValues.ToTicks(now - IdempotencyKey.Window)).ExecuteNonQuery(),
            cancellationToken).ConfigureAwait(false);
}
