using Conversations.Abstractions.Storage;
using Conversations.Core.Requests;
using Conversations.Store.Rows;
using Npgsql;

namespace Conversations.Store.Postgres;

public sealed class PostgresIdempotencyStore(PostgresDatabase database) : IIdempotencyStore
{
    internal const string SelectRecord = $"""
        SELECT {IdempotencyRecordRow.Columns}
        FROM idempotency_records WHERE user_id = $1 AND key = $2 AND expires_at_ticks > $3
        """;

    internal const string UpsertRecord = """
        INSERT INTO idempotency_records (user_id, key, request_hash, status, content_type, headers, body, created_at_ticks, expires_at_ticks)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (user_id, key) DO UPDATE SET
            request_hash = excluded.request_hash,
            status = excluded.status,
            content_type = excluded.content_type,
            headers = excluded.headers,
            body = excluded.body,
            created_at_ticks = excluded.created_at_ticks,
            expires_at_ticks = excluded.expires_at_ticks
        """;

    internal const string DeleteExpiredRecords = "DELETE FROM idempotency_records WHERE expires_at_ticks <= $1";

    internal const string DeleteOldTurnKeys = "DELETE FROM turn_keys WHERE created_at_ticks <= $1";

    public async Task<IdempotencyRecord?> GetAsync(string userId, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectRecord, connection).With(
            PostgresParameters.Text(userId),
            PostgresParameters.Text(key),
            PostgresParameters.Bigint(StoredValues.ToTicks(now)));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? IdempotencyRecordRow.Read(reader, userId, key) : null;
    }

    public async Task PutAsync(IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = new NpgsqlCommand(UpsertRecord, connection).With(
            PostgresParameters.Text(record.UserId),
            PostgresParameters.Text(record.Key),
            PostgresParameters.Text(record.RequestHash),
            PostgresParameters.Integer(record.Response.Status),
            PostgresParameters.Text(record.Response.ContentType),
            PostgresParameters.Jsonb(StoredValues.StringMapJson(record.Response.Headers)),
            PostgresParameters.Bytea(record.Response.Body),
            PostgresParameters.Bigint(StoredValues.ToTicks(record.CreatedAt)),
            PostgresParameters.Bigint(StoredValues.ToTicks(record.ExpiresAt)));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the records expired at <paramref name="now"/> and the turn keys older than
    /// <see cref="IdempotencyKey.Window"/>, in one transaction; returns how many rows of both went.
    /// </summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // A batch runs as one implicit transaction: both deletes or neither.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(DeleteExpiredRecords).With(PostgresParameters.Bigint(StoredValues.ToTicks(now))),
                new NpgsqlBatchCommand(DeleteOldTurnKeys).With(PostgresParameters.Bigint(StoredValues.ToTicks(now - IdempotencyKey.Window))),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return batch.BatchCommands[0].RecordsAffected + batch.BatchCommands[1].RecordsAffected;
    }
}
