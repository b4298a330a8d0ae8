using System.Collections.Immutable;
using Conversations.Abstractions.Storage;
using Conversations.Core.Responses;
using Conversations.Store.Documents;
using Conversations.Store.Rows;
using Microsoft.Data.Sqlite;

namespace Conversations.Store.Sqlite;

public sealed class SqliteResponseStore(SqliteDatabase database) : IResponseStore
{
    internal const string UpsertResponse = $"""
        INSERT INTO responses ({ResponseRow.InsertColumns})
        VALUES ($id, $owner_id, $conversation_id, $previous_response_id, $status, $created_at_ticks, $expires_at_ticks, $document)
        ON CONFLICT (id) DO UPDATE SET
            status = excluded.status,
            expires_at_ticks = excluded.expires_at_ticks,
            document = excluded.document
        """;

    private const string Live = "(expires_at_ticks IS NULL OR expires_at_ticks > $now_ticks)";

    internal const string SelectResponse = $"SELECT document FROM responses WHERE id = $id AND {Live}";

    internal const string DeleteResponse = "DELETE FROM responses WHERE id = $id";

    // From the response back through its predecessors, one index lookup per step.
    internal const string SelectChain = $"""
        WITH RECURSIVE chain (id, previous_response_id, depth, document) AS (
            SELECT id, previous_response_id, 1, document FROM responses WHERE id = $id AND {Live}
            UNION ALL
            SELECT r.id, r.previous_response_id, chain.depth + 1, r.document
            FROM responses r JOIN chain ON r.id = chain.previous_response_id
            WHERE chain.depth < $max_length AND (r.expires_at_ticks IS NULL OR r.expires_at_ticks > $now_ticks)
        )
        SELECT document FROM chain ORDER BY depth DESC
        """;

    internal const string DeleteExpiredResponses = "DELETE FROM responses WHERE expires_at_ticks <= $now_ticks";

    public async Task SaveAsync(ResponseRecord response, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(session => Upsert(session, response, expiresAt), cancellationToken).ConfigureAwait(false);

    public async Task<ResponseRecord?> GetAsync(string responseId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            using var reader = session.Statement(SelectResponse)
                .With("$id", responseId)
                .With("$now_ticks", StoredValues.ToTicks(now))
                .ExecuteReader();
            return reader.Read() ? ResponseRow.Read(reader, 0) : null;
        }, cancellationToken).ConfigureAwait(false);

    public async Task<bool> DeleteAsync(string responseId, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(
            session => session.Statement(DeleteResponse).With("$id", responseId).ExecuteNonQuery() == 1,
            cancellationToken).ConfigureAwait(false);

    public async Task<ImmutableArray<ResponseRecord>> LoadChainAsync(string responseId, DateTimeOffset now, int maxLength, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            var chain = ImmutableArray.CreateBuilder<ResponseRecord>();
            using var reader = session.Statement(SelectChain)
                .With("$id", responseId)
                .With("$now_ticks", StoredValues.ToTicks(now))
                .With("$max_length", (long)maxLength)
                .ExecuteReader();
            while (reader.Read())
            {
                chain.Add(ResponseRow.Read(reader, 0));
            }

            return chain.ToImmutable();
        }, cancellationToken).ConfigureAwait(false);

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(
            session => session.Statement(DeleteExpiredResponses).With("$now_ticks", StoredValues.ToTicks(now)).ExecuteNonQuery(),
            cancellationToken).ConfigureAwait(false);

    /// <summary>Writes the response's row in the session's transaction (a conversation's turn writes it with its items).</summary>
    internal static int Upsert(SqliteSession session, ResponseRecord response, DateTimeOffset? expiresAt) =>
        session.Statement(UpsertResponse)
            .With("$id", response.Id)
            .With("$owner_id", response.OwnerId)
            .With("$conversation_id", response.ConversationId)
            .With("$previous_response_id", response.PreviousResponseId)
            .With("$status", ResponseJson.StatusName(response.Status))
            .With("$created_at_ticks", StoredValues.ToTicks(response.CreatedAt))
            .With("$expires_at_ticks", StoredValues.ToTicks(expiresAt))
            .With("$document", ResponseJson.Write(response))
            .ExecuteNonQuery();
}
