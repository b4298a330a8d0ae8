using System.Collections.Immutable;
using Conversations.Abstractions.Storage;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Store.Rows;
using Microsoft.Data.Sqlite;
using OneOf;
using OneOf.Types;

namespace Conversations.Store.Sqlite;

public sealed class SqliteConversationStore(SqliteDatabase database) : IConversationStore
{
    internal const string InsertConversation = $"""
        INSERT INTO conversations ({ConversationRow.Columns})
        VALUES ($id, $owner_id, $created_at_ticks, $metadata, $model, $instructions, $temperature, $top_p, $max_tokens, $requests, $prompt_tokens, $completion_tokens, $truncation)
        ON CONFLICT (id) DO NOTHING
        """;

    // DO NOTHING on a taken (conversation_id, seq) lets the caller see the collision as "no row
    // inserted" and name the sequence; a repeated message id is a different fault and still fails.
    internal const string InsertItem = $"""
        INSERT INTO messages ({ItemRow.InsertColumns})
        VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15)
        ON CONFLICT (conversation_id, seq) DO NOTHING
        """;

    // Emptied rather than removed: the position stays taken (see the schema's step 3).
    internal const string DeleteItem = """
        UPDATE messages SET deleted = 1, content = '', data = NULL
        WHERE conversation_id = $conversation_id AND id = $id AND deleted = 0
        """;

    internal const string ConversationExists = "SELECT 1 FROM conversations WHERE id = $id";

    internal const string SelectConversation = $"SELECT {ConversationRow.Columns} FROM conversations WHERE id = $id";

    internal const string SelectItems = $"""
        SELECT {ItemRow.Columns}
        FROM messages WHERE conversation_id = $conversation_id ORDER BY seq
        """;

    internal const string SelectTurnKeys = $"""
        SELECT {TurnKeyRow.Columns}
        FROM turn_keys WHERE conversation_id = $conversation_id
        """;

    // A key used again after its window replaces the old row: the key now means the newer turn.
    internal const string UpsertTurnKey = """
        INSERT INTO turn_keys (conversation_id, key, request_hash, reply_message_id, created_at_ticks)
        VALUES ($conversation_id, $key, $request_hash, $reply_message_id, $created_at_ticks)
        ON CONFLICT (conversation_id, key) DO UPDATE SET
            request_hash = excluded.request_hash,
            reply_message_id = excluded.reply_message_id,
            created_at_ticks = excluded.created_at_ticks
        """;

    internal const string UpdateSettings = """
        UPDATE conversations
        SET metadata = $metadata, model = $model, instructions = $instructions, temperature = $temperature, top_p = $top_p, max_tokens = $max_tokens, truncation = $truncation
        WHERE id = $id
        """;

    internal const string DeleteConversation = "DELETE FROM conversations WHERE id = $id";

    internal const string AddTurnToCounters = """
        UPDATE conversations
        SET requests = requests + 1, prompt_tokens = prompt_tokens + $prompt_tokens, completion_tokens = completion_tokens + $completion_tokens
        WHERE id = $id
        """;

    private const string AfterPlace = "(SELECT list_seq FROM conversations WHERE id = $after AND owner_id = $owner_id)";

    private const string ListNewestFirst =
        $"SELECT {ConversationRow.Columns} FROM conversations WHERE owner_id = $owner_id ORDER BY list_seq DESC LIMIT $limit";

    private const string ListNewestFirstAfter =
        $"SELECT {ConversationRow.Columns} FROM conversations WHERE owner_id = $owner_id AND list_seq < {AfterPlace} ORDER BY list_seq DESC LIMIT $limit";

    private const string ListOldestFirst =
        $"SELECT {ConversationRow.Columns} FROM conversations WHERE owner_id = $owner_id ORDER BY list_seq LIMIT $limit";

    private const string ListOldestFirstAfter =
        $"SELECT {ConversationRow.Columns} FROM conversations WHERE owner_id = $owner_id AND list_seq > {AfterPlace} ORDER BY list_seq LIMIT $limit";

    public async Task<bool> CreateAsync(Conversation conversation, IReadOnlyList<Item> items, CancellationToken cancellationToken = default)
    {
        StoredValues.RequireDistinctSequences(items, nameof(items));
        return await database.WriteAsync(session =>
        {
            var created = BindConversation(session.Statement(InsertConversation), conversation).ExecuteNonQuery() == 1;
            if (!created)
            {
                return false;
            }

            foreach (var item in items)
            {
                InsertItemRow(session, conversation.Id, item);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The conversation, its items in sequence order (deleted ones only counted for the last position),
    /// and its turn keys in no particular order (they are looked up by key, never listed in order).
    /// </summary>
    public async Task<StoredConversation?> LoadAsync(string conversationId, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            Conversation conversation;
            using (var reader = session.Statement(SelectConversation).With("$id", conversationId).ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                conversation = ConversationRow.Read(reader);
            }

            var items = ImmutableArray.CreateBuilder<Item>();
            var lastSequence = 0L;
            using (var reader = session.Statement(SelectItems).With("$conversation_id", conversationId).ExecuteReader())
            {
                while (reader.Read())
                {
                    lastSequence = ItemRow.Sequence(reader);
                    if (!ItemRow.IsDeleted(reader))
                    {
                        items.Add(ItemRow.Read(reader));
                    }
                }
            }

            var turnKeys = ImmutableArray.CreateBuilder<StoredTurnKey>();
            using (var reader = session.Statement(SelectTurnKeys).With("$conversation_id", conversationId).ExecuteReader())
            {
                while (reader.Read())
                {
                    turnKeys.Add(TurnKeyRow.Read(reader));
                }
            }

            return new StoredConversation(conversation, items.DrainToImmutable(), turnKeys.DrainToImmutable(), lastSequence);
        }, cancellationToken).ConfigureAwait(false);

    public async Task UpdateAsync(Conversation conversation, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(session =>
            session.Statement(UpdateSettings)
                .With("$id", conversation.Id)
                .With("$metadata", StoredValues.MetadataJson(conversation.Metadata))
                .With("$model", conversation.Settings.Model)
                .With("$instructions", conversation.Settings.Instructions)
                .With("$temperature", conversation.Settings.Temperature)
                .With("$top_p", conversation.Settings.TopP)
                .With("$max_tokens", conversation.Settings.MaxTokens)
                .With("$truncation", StoredValues.TruncationName(conversation.Settings.Truncation))
                .ExecuteNonQuery(), cancellationToken).ConfigureAwait(false);

    public async Task<bool> DeleteAsync(string conversationId, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(
            session => session.Statement(DeleteConversation).With("$id", conversationId).ExecuteNonQuery() == 1,
            cancellationToken).ConfigureAwait(false);

    public async Task<OneOf<Success, StaleHistory>> AppendTurnAsync(TurnRecord turn, CancellationToken cancellationToken = default)
    {
        StoredValues.RequireDistinctSequences(turn.Items, nameof(turn));
        try
        {
            await AppendInTransaction(turn, cancellationToken).ConfigureAwait(false);
            return new Success();
        }
        catch (StaleTurnRollback rollback)
        {
            return rollback.Stale;
        }
    }

    private async Task AppendInTransaction(TurnRecord turn, CancellationToken cancellationToken) =>
        await database.WriteAsync(session =>
        {
            // The counters first: a conversation that is gone (deleted through a newer activation)
            // updates no row, and the writer's view is just as stale as when a sequence is taken.
            var found = session.Statement(AddTurnToCounters)
                .With("$id", turn.ConversationId)
                .With("$prompt_tokens", turn.Usage.PromptTokens)
                .With("$completion_tokens", turn.Usage.CompletionTokens)
                .ExecuteNonQuery() == 1;
            if (!found)
            {
                throw new StaleTurnRollback(new StaleHistory(turn.ConversationId, turn.Items.IsEmpty ? 0 : turn.Items[0].Sequence));
            }

            InsertItemsOrRollBack(session, turn.ConversationId, turn.Items);

            // In the turn's transaction: a turn refused as stale leaves no key behind.
            if (turn.Key is { } key)
            {
                session.Statement(UpsertTurnKey)
                    .With("$conversation_id", turn.ConversationId)
                    .With("$key", key.Key)
                    .With("$request_hash", key.RequestHash)
                    .With("$reply_message_id", key.ReplyMessageId)
                    .With("$created_at_ticks", StoredValues.ToTicks(key.CreatedAt))
                    .ExecuteNonQuery();
            }

            if (turn.Response is { } response)
            {
                SqliteResponseStore.Upsert(session, response, expiresAt: null);
            }

            SqliteUsageStore.AddToDay(session, turn.OwnerId, turn.Day, 1, turn.Usage);
            return 0;
        }, cancellationToken).ConfigureAwait(false);

    public async Task<ConversationPage> ListByOwnerAsync(string ownerId, PageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var hasAfter = query.After.Length > 0;
        return await database.ReadAsync(session =>
        {
            var statement = session.Statement(ListStatement(query.Order, hasAfter))
                .With("$owner_id", ownerId)
                .With("$limit", query.Limit + 1L);
            if (hasAfter)
            {
                statement.With("$after", query.After);
            }

            var items = ImmutableArray.CreateBuilder<Conversation>();
            using (var reader = statement.ExecuteReader())
            {
                while (reader.Read())
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
        }, cancellationToken).ConfigureAwait(false);
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

    private static SqliteCommand BindConversation(SqliteCommand command, Conversation conversation) =>
        command
            .With("$id", conversation.Id)
            .With("$owner_id", conversation.OwnerId)
            .With("$created_at_ticks", StoredValues.ToTicks(conversation.CreatedAt))
            .With("$metadata", StoredValues.MetadataJson(conversation.Metadata))
            .With("$model", conversation.Settings.Model)
            .With("$instructions", conversation.Settings.Instructions)
            .With("$temperature", conversation.Settings.Temperature)
            .With("$top_p", conversation.Settings.TopP)
            .With("$max_tokens", conversation.Settings.MaxTokens)
            .With("$requests", conversation.Usage.Requests)
            .With("$prompt_tokens", conversation.Usage.Tokens.PromptTokens)
            .With("$completion_tokens", conversation.Usage.Tokens.CompletionTokens)
            .With("$truncation", StoredValues.TruncationName(conversation.Settings.Truncation));

    public async Task<OneOf<Success, StaleHistory>> AppendItemsAsync(string conversationId, IReadOnlyList<Item> items, CancellationToken cancellationToken = default)
    {
        StoredValues.RequireDistinctSequences(items, nameof(items));
        try
        {
            await database.WriteAsync(session =>
            {
                if (session.Statement(ConversationExists).With("$id", conversationId).ExecuteScalar() is null)
                {
                    throw new StaleTurnRollback(new StaleHistory(conversationId, items.Count == 0 ? 0 : items[0].Sequence));
                }

                InsertItemsOrRollBack(session, conversationId, items);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            return new Success();
        }
        catch (StaleTurnRollback rollback)
        {
            return rollback.Stale;
        }
    }

    public async Task<bool> DeleteItemAsync(string conversationId, string itemId, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(
            session => session.Statement(DeleteItem).With("$conversation_id", conversationId).With("$id", itemId).ExecuteNonQuery() == 1,
            cancellationToken).ConfigureAwait(false);

    /// <summary>Inserts the items; a taken position throws inside the transaction, so everything written with them is rolled back.</summary>
    private static void InsertItemsOrRollBack(SqliteSession session, string conversationId, IReadOnlyList<Item> items)
    {
        foreach (var item in items)
        {
            if (!InsertItemRow(session, conversationId, item))
            {
                throw new StaleTurnRollback(new StaleHistory(conversationId, item.Sequence));
            }
        }
    }

    /// <returns>False when the position is already taken.</returns>
    private static bool InsertItemRow(SqliteSession session, string conversationId, Item item)
    {
        var command = session.Statement(InsertItem);
        var values = ItemRow.Values(conversationId, item);
        for (var i = 0; i < values.Length; i++)
        {
            command.With(Parameters[i], values[i]);
        }

        return command.ExecuteNonQuery() == 1;
    }

    private static readonly string[] Parameters = Enumerable.Range(0, 16).Select(i => $"$p{i}").ToArray();
}
