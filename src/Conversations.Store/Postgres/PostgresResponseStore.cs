using System.Collections.Immutable;
using Conversations.Abstractions.Storage;
using Conversations.Core.Responses;
using Conversations.Store.Documents;
using Conversations.Store.Rows;
using Npgsql;

namespace Conversations.Store.Postgres;

public sealed class PostgresResponseStore(PostgresDatabase database) : IResponseStore
{
    internal const string UpsertResponse = $"""
        INSERT INTO responses ({ResponseRow.InsertColumns})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (id) DO UPDATE SET
            status = excluded.status,
            expires_at_ticks = excluded.expires_at_ticks,
            document = excluded.document
        """;

    internal const string SelectResponse = "SELECT document FROM responses WHERE id = $1 AND (expires_at_ticks IS NULL OR expires_at_ticks > $2)";

    internal const string DeleteResponse = "DELETE FROM responses WHERE id = $1";

    // From the response back through its predecessors, one index lookup per step.
    internal const string SelectChain = """
        WITH RECURSIVE chain (id, previous_response_id, depth, document) AS (
            SELECT id, previous_response_id, 1, document FROM responses
            WHERE id = $1 AND (expires_at_ticks IS NULL OR expires_at_ticks > $2)
            UNION ALL
            SELECT r.id, r.previous_response_id, chain.depth + 1, r.document
            FROM responses r JOIN chain ON r.id = chain.previous_response_id
            WHERE chain.depth < $3 AND (r.expires_at_ticks IS NULL OR r.expires_at_ticks > $2)
        )
        SELECT document FROM chain ORDER BY depth DESC
        """;

    internal const string DeleteExpiredResponses = "DELETE FROM responses WHERE expires_at_ticks <= $1";

    public async Task SaveAsync(ResponseRecord response, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = Upsert(response, expiresAt);
        upsert.Connection = connection;
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ResponseRecord?> GetAsync(string responseId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectResponse, connection).With(
            PostgresParameters.Text(responseId),
            PostgresParameters.Bigint(StoredValues.ToTicks(now)));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ResponseRow.Read(reader, 0) : null;
    }

    public async Task<bool> DeleteAsync(string responseId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = new NpgsqlCommand(DeleteResponse, connection).With(PostgresParameters.Text(responseId));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<ImmutableArray<ResponseRecord>> LoadChainAsync(string responseId, DateTimeOffset now, int maxLength, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectChain, connection).With(
            PostgresParameters.Text(responseId),
            PostgresParameters.Bigint(StoredValues.ToTicks(now)),
            PostgresParameters.Integer(maxLength));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var chain = ImmutableArray.CreateBuilder<ResponseRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            chain.Add(ResponseRow.Read(reader, 0));
        }

        return chain.ToImmutable();
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = new NpgsqlCommand(DeleteExpiredResponses, connection).With(PostgresParameters.Bigint(StoredValues.ToTicks(now)));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The response's row as one command, to run alone or in a conversation turn's batch.</summary>
    internal static NpgsqlCommand Upsert(ResponseRecord response, DateTimeOffset? expiresAt) =>
        new NpgsqlCommand(UpsertResponse).With(Parameters(response, expiresAt));

    internal static NpgsqlBatchCommand UpsertInBatch(ResponseRecord response, DateTimeOffset? expiresAt) =>
        new NpgsqlBatchCommand(UpsertResponse).With(Parameters(response, expiresAt));

    private static NpgsqlParameter[] Parameters(ResponseRecord response, DateTimeOffset? expiresAt) =>
    [
        PostgresParameters.Text(response.Id),
        PostgresParameters.Text(response.OwnerId),
        PostgresParameters.NullableText(response.ConversationId),
        PostgresParameters.NullableText(response.PreviousResponseId),
        PostgresParameters.Text(ResponseJson.StatusName(response.Status)),
        PostgresParameters.Bigint(StoredValues.ToTicks(response.CreatedAt)),
        PostgresParameters.Bigint(StoredValues.ToTicks(expiresAt)),
        PostgresParameters.Text(ResponseJson.Write(response)),
    ];
}
