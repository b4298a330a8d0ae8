using System.Collections.Immutable;
using Conversations.Abstractions.Storage;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Store.Rows;
using Npgsql;
using OneOf;
using OneOf.Types;

namespace Conversations.Store.Postgres;

public sealed class PostgresConversationStore(PostgresDatabase database) : IConversationStore
{
    private const string AfterPlace = "(SELECT list_seq FROM conversations WHERE id = $3 AND owner_id = $1)";

    internal const string InsertConversation = $"""
        INSERT INTO conversations ({ConversationRow.Columns})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (id) DO NOTHING
        """;

    // DO NOTHING on a taken (conversation_id, seq) lets the caller see the collision as "no row
    // inserted" and name the sequence; a repeated message id is a different fault and still fails.
    // A racing insert of the same key waits for the other transaction and then does nothing.
    internal const string InsertItem = $"""
        INSERT INTO messages ({ItemRow.InsertColumns})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
        ON CONFLICT (conversation_id, seq) DO NOTHING
        """;

    // Emptied rather than removed: the position stays taken (see the schema's step 3).
    internal const string DeleteItem = """
        UPDATE messages SET deleted = true, content = '', data = NULL
        WHERE conversation_id = $1 AND id = $2 AND NOT deleted
        """;

    // Locks the conversation's row for the transaction, as a turn's counters update does, so appends
    // of one conversation queue there; no row means the conversation is gone.
    internal const string LockConversation = "SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE";

    internal const string SelectConversation = $"SELECT {ConversationRow.Columns} FROM conversations WHERE id = $1";

    internal const string SelectItems = $"""
        SELECT {ItemRow.Columns}
        FROM messages WHERE conversation_id = $1 ORDER BY seq
        """;

    internal const string SelectTurnKeys = $"""
        SELECT {TurnKeyRow.Columns}
        FROM turn_keys WHERE conversation_id = $1
        """;

    // A key used again after its window replaces the old row: the key now means the newer turn.
    internal const string UpsertTurnKey = """
        INSERT INTO turn_keys (conversation_id, key, request_hash, reply_message_id, created_at_ticks)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (conversation_id, key) DO UPDATE SET
            request_hash = excluded.request_hash,
            reply_message_id = excluded.reply_message_id,
            created_at_ticks = excluded.created_at_ticks
        """;

    internal const string UpdateSettings = """
        UPDATE conversations
        SET metadata = $2, model = $3, instructions = $4, temperature = $5, top_p = $6, max_tokens = $7, truncation = $8
        WHERE id = $1
        """;

    internal const string DeleteConversation = "DELETE FROM conversations WHERE id = $1";

    internal const string AddTurnToCounters = """
        UPDATE conversations
        SET requests = requests + 1, prompt_tokens = prompt_tokens + $2, completion_tokens = completion_tokens + $3
        WHERE id = $1
        """;

    private const string ListNewestFirst =
        $"SELECT {ConversationRow.Columns} FROM conversations WHERE owner_id = $1 ORDER BY list_seq DESC LIMIT $2";

    private const string ListNewestFirstAfter =
        $"SELECT {ConversationRow.Columns} FROM conversations WHERE owner_id = $1 AND list_seq < {AfterPlace} ORDER BY list_seq DESC LIMIT $2";

    private const string ListOldestFirst =
        $"SELECT {ConversationRow.Columns} FROM conversations WHERE owner_id = $1 ORDER BY list_seq LIMIT $2";

    private const string ListOldestFirstAfter =
        $"SELECT {ConversationRow.Columns} FROM conversations WHERE owner_id = $1 AND list_seq > {AfterPlace} ORDER BY list_seq LIMIT $2";

    public async Task<bool> CreateAsync(Conversation conversation, IReadOnlyList<Item> items, CancellationToken cancellationToken = default)
    {
        StoredValues.RequireDistinctSequences(items, nameof(items));
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand(InsertConversation, connection, transaction))
        {
            BindConversation(insert.Parameters, conversation);
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }
        }

        if (items.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var item in items)
            {
                batch.BatchCommands.Add(ItemInsert(conversation.Id, item));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The conversation, its items in sequence order (deleted ones only counted for the last position),
    /// and its turn keys in no particular order (they are looked up by key, never listed in order).
    /// </summary>
    public async Task<StoredConversation?> LoadAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // All reads in one snapshot, so the counters match the messages and keys returned with them.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(SelectConversation).With(PostgresParameters.Text(conversationId)),
                new NpgsqlBatchCommand(SelectItems).With(PostgresParameters.Text(conversationId)),
                new NpgsqlBatchCommand(SelectTurnKeys).With(PostgresParameters.Text(conversationId)),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var conversation = ConversationRow.Read(reader);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var items = ImmutableArray.CreateBuilder<Item>();
        var lastSequence = 0L;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            lastSequence = ItemRow.Sequence(reader);
            if (!ItemRow.IsDeleted(reader))
            {
                items.Add(ItemRow.Read(reader));
            }
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var turnKeys = ImmutableArray.CreateBuilder<StoredTurnKey>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            turnKeys.Add(TurnKeyRow.Read(reader));
        }

        return new StoredConversation(conversation, items.DrainToImmutable(), turnKeys.DrainToImmutable(), lastSequence);
    }

    public async Task UpdateAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = new NpgsqlCommand(UpdateSettings, connection).With(
            PostgresParameters.Text(conversation.Id),
            PostgresParameters.Jsonb(StoredValues.MetadataJson(conversation.Metadata)),
            PostgresParameters.Text(conversation.Settings.Model),
            PostgresParameters.Text(conversation.Settings.Instructions),
            PostgresParameters.Double(conversation.Settings.Temperature),
            PostgresParameters.Double(conversation.Settings.TopP),
            PostgresParameters.Integer(conversation.Settings.MaxTokens),
            PostgresParameters.Text(StoredValues.TruncationName(conversation.Settings.Truncation)));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = new NpgsqlCommand(DeleteConversation, connection).With(PostgresParameters.Text(conversationId));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<OneOf<Success, StaleHistory>> AppendTurnAsync(TurnRecord turn, CancellationToken cancellationToken = default)
    {
        StoredValues.RequireDistinctSequences(turn.Items, nameof(turn));
        var firstSequence = turn.Items.IsEmpty ? 0 : turn.Items[0].Sequence;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // One round trip for the whole turn. The counters come first: updating them locks the
        // conversation's row, so racing writers of one conversation queue there, and the loser's
        // message inserts then find the winner's rows and insert nothing.
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(AddTurnToCounters).With(
            PostgresParameters.Text(turn.ConversationId),
            PostgresParameters.Bigint(turn.Usage.PromptTokens),
            PostgresParameters.Bigint(turn.Usage.CompletionTokens)));
        foreach (var item in turn.Items)
        {
            batch.BatchCommands.Add(ItemInsert(turn.ConversationId, item));
        }

        // In the turn's transaction: a turn refused as stale is never committed, its key with it.
        if (turn.Key is { } key)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(UpsertTurnKey).With(
                PostgresParameters.Text(turn.ConversationId),
                PostgresParameters.Text(key.Key),
                PostgresParameters.Text(key.RequestHash),
                PostgresParameters.Text(key.ReplyMessageId),
                PostgresParameters.Bigint(StoredValues.ToTicks(key.CreatedAt))));
        }

        if (turn.Response is { } response)
        {
            batch.BatchCommands.Add(PostgresResponseStore.UpsertInBatch(response, expiresAt: null));
        }

        batch.BatchCommands.Add(PostgresUsageStore.AddToDay(turn.OwnerId, turn.Day, 1, turn.Usage));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // The conversation is gone (deleted through a newer activation): this writer's view is stale.
            return new StaleHistory(turn.ConversationId, firstSequence);
        }

        if (batch.BatchCommands[0].RecordsAffected == 0)
        {
            return new StaleHistory(turn.ConversationId, firstSequence);
        }

        if (FirstTaken(batch, 1, turn.Items) is { } taken)
        {
            // Leaving without commit rolls back everything this turn wrote.
            return new StaleHistory(turn.ConversationId, taken);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new Success();
    }

    public async Task<ConversationPage> ListByOwnerAsync(string ownerId, PageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var hasAfter = query.After.Length > 0;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var list = new NpgsqlCommand(ListStatement(query.Order, hasAfter), connection).With(
            PostgresParameters.Text(ownerId),
            PostgresParameters.Bigint(query.Limit + 1L));
        if (hasAfter)
        {
            list.Parameters.Add(PostgresParameters.Text(query.After));
        }

        var items = ImmutableArray.CreateBuilder<Conversation>();
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(ConversationRow.Read(reader));
            }
        }

        var hasMore = items.Count > query.Limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new ConversationPage(items.DrainToImmutable(), hasMore);
    }

    /// <summary>
    /// The owner-list query. Pages continue after the <c>after</c> conversation's place in insertion
    /// order; an <c>after</c> that is not one of the owner's conversations (unknown, deleted, or
    /// someone else's) matches nothing, so the page is empty rather than revealing anything.
    /// </summary>
    internal static string ListStatement(SortOrder order, bool hasAfter) => (order, hasAfter) switch
    {
        (SortOrder.Descending, false) => ListNewestFirst,
        (SortOrder.Descending, true) => ListNewestFirstAfter,
        (SortOrder.Ascending, false) => ListOldestFirst,
        (SortOrder.Ascending, true) => ListOldestFirstAfter,
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Unknown sort order."),
    };

    private static void BindConversation(NpgsqlParameterCollection parameters, Conversation conversation)
    {
        parameters.Add(PostgresParameters.Text(conversation.Id));
        parameters.Add(PostgresParameters.Text(conversation.OwnerId));
        parameters.Add(PostgresParameters.Bigint(StoredValues.ToTicks(conversation.CreatedAt)));
        parameters.Add(PostgresParameters.Jsonb(StoredValues.MetadataJson(conversation.Metadata)));
        parameters.Add(PostgresParameters.Text(conversation.Settings.Model));
        parameters.Add(PostgresParameters.Text(conversation.Settings.Instructions));
        parameters.Add(PostgresParameters.Double(conversation.Settings.Temperature));
        parameters.Add(PostgresParameters.Double(conversation.Settings.TopP));
        parameters.Add(PostgresParameters.Integer(conversation.Settings.MaxTokens));
        parameters.Add(PostgresParameters.Bigint(conversation.Usage.Requests));
        parameters.Add(PostgresParameters.Bigint(conversation.Usage.Tokens.PromptTokens));
        parameters.Add(PostgresParameters.Bigint(conversation.Usage.Tokens.CompletionTokens));
        parameters.Add(PostgresParameters.Text(StoredValues.TruncationName(conversation.Settings.Truncation)));
    }

    public async Task<OneOf<Success, StaleHistory>> AppendItemsAsync(string conversationId, IReadOnlyList<Item> items, CancellationToken cancellationToken = default)
    {
        StoredValues.RequireDistinctSequences(items, nameof(items));
        var firstSequence = items.Count == 0 ? 0 : items[0].Sequence;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LockConversation).With(PostgresParameters.Text(conversationId)));
        foreach (var item in items)
        {
            batch.BatchCommands.Add(ItemInsert(conversationId, item));
        }

        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return new StaleHistory(conversationId, firstSequence);
            }

            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // The conversation is gone (the lock found no row, and the batch's inserts ran on regardless):
            // the writer's picture of it is stale, as on SQLite.
            return new StaleHistory(conversationId, firstSequence);
        }

        if (FirstTaken(batch, 1, items) is { } taken)
        {
            return new StaleHistory(conversationId, taken);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new Success();
    }

    public async Task<bool> DeleteItemAsync(string conversationId, string itemId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = new NpgsqlCommand(DeleteItem, connection).With(PostgresParameters.Text(conversationId), PostgresParameters.Text(itemId));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The position of the first item whose insert (from command <paramref name="first"/> of the batch on) found its position taken; null if none did.</summary>
    private static long? FirstTaken(NpgsqlBatch batch, int first, IReadOnlyList<Item> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (batch.BatchCommands[first + i].RecordsAffected == 0)
            {
                return items[i].Sequence;
            }
        }

        return null;
    }

    private static readonly NpgsqlTypes.NpgsqlDbType[] ItemColumnTypes =
    [
        NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Bigint, NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Text,
        NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Text,
        NpgsqlTypes.NpgsqlDbType.Bigint, NpgsqlTypes.NpgsqlDbType.Bigint, NpgsqlTypes.NpgsqlDbType.Bigint, NpgsqlTypes.NpgsqlDbType.Bigint,
        NpgsqlTypes.NpgsqlDbType.Bigint, NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Text, NpgsqlTypes.NpgsqlDbType.Text,
    ];

    /// <summary>An item's row insert, with the values <see cref="ItemRow.Values"/> gives, typed by column.</summary>
    private static NpgsqlBatchCommand ItemInsert(string conversationId, Item item)
    {
        var values = ItemRow.Values(conversationId, item);
        var command = new NpgsqlBatchCommand(InsertItem);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = ItemColumnTypes[i], Value = values[i] ?? DBNull.Value });
        }

        return command;
    }
}
