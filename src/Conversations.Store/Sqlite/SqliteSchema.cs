using System.Collections.Immutable;

namespace Conversations.Store.Sqlite;

/// <summary>
/// The SQLite schema, step by step. Times are UTC ticks (see <see cref="StoredValues"/>); days are
/// ISO <c>yyyy-MM-dd</c> text, which sorts as dates do.
/// </summary>
internal static class SqliteSchema
{
    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
        )
        """;

    public static readonly ImmutableArray<SchemaMigration> Migrations =
    [
        new(1, "conversations, messages, users, api keys, daily usage, service values",
        [
            // list_seq aliases the rowid: the order conversations were stored in, which is the order
            // an owner's list pages through. Keeping it the table's key clusters rows by it.
            """
            CREATE TABLE conversations (
                list_seq          INTEGER PRIMARY KEY,
                id                TEXT NOT NULL UNIQUE,
                owner_id          TEXT NOT NULL,
                created_at_ticks  INTEGER NOT NULL,
                metadata          TEXT NOT NULL,
                model             TEXT NOT NULL,
                instructions      TEXT NOT NULL,
                temperature       REAL,
                top_p             REAL,
                max_tokens        INTEGER,
                requests          INTEGER NOT NULL,
                prompt_tokens     INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL
            )
            """,
            "CREATE INDEX conversations_by_owner ON conversations (owner_id, list_seq)",
            // A rowid table rather than WITHOUT ROWID: message content can be large, and SQLite keeps
            // large rows efficiently only in rowid tables. The primary key is the append guard: a second
            // message at a taken (conversation_id, seq) is refused.
            """
            CREATE TABLE messages (
                conversation_id   TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                seq               INTEGER NOT NULL,
                id                TEXT NOT NULL UNIQUE,
                role              TEXT NOT NULL,
                content           TEXT NOT NULL,
                status            TEXT NOT NULL,
                created_at_ticks  INTEGER NOT NULL,
                prompt_tokens     INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL,
                model             TEXT NOT NULL,
                finish_reason     TEXT NOT NULL,
                completion_id     TEXT NOT NULL,
                PRIMARY KEY (conversation_id, seq)
            )
            """,
            """
            CREATE TABLE users (
                list_seq            INTEGER PRIMARY KEY,
                id                  TEXT NOT NULL UNIQUE,
                name                TEXT NOT NULL,
                requests_per_minute INTEGER,
                tokens_per_day      INTEGER,
                concurrent_streams  INTEGER,
                created_at_ticks    INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE api_keys (
                id               TEXT NOT NULL PRIMARY KEY,
                user_id          TEXT NOT NULL REFERENCES users (id),
                prefix           TEXT NOT NULL,
                hash             TEXT NOT NULL UNIQUE,
                created_at_ticks INTEGER NOT NULL,
                revoked_at_ticks INTEGER
            )
            """,
            "CREATE INDEX api_keys_by_user ON api_keys (user_id)",
            """
            CREATE TABLE usage_daily (
                user_id           TEXT NOT NULL,
                day               TEXT NOT NULL,
                requests          INTEGER NOT NULL,
                prompt_tokens     INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL,
                PRIMARY KEY (user_id, day)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE service_values (
                name  TEXT NOT NULL PRIMARY KEY,
                value TEXT NOT NULL
            ) WITHOUT ROWID
            """,
        ]),
        new(2, "turn idempotency keys, stored answers to idempotent stateless requests",
        [
            // The key of a turn lives beside the turn's messages and goes with the conversation. The
            // primary key leads with conversation_id, which is also the lookup the cascade needs.
            """
            CREATE TABLE turn_keys (
                conversation_id  TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                key              TEXT NOT NULL,
                request_hash     TEXT NOT NULL,
                reply_message_id TEXT NOT NULL,
                created_at_ticks INTEGER NOT NULL,
                PRIMARY KEY (conversation_id, key)
            ) WITHOUT ROWID
            """,
            // Turn keys have no expiry of their own; the purge finds old ones by age.
            "CREATE INDEX turn_keys_by_age ON turn_keys (created_at_ticks)",
            // A rowid table: bodies can be whole event streams, and SQLite keeps large rows efficiently
            // only in rowid tables. Headers are a JSON object of strings.
            """
            CREATE TABLE idempotency_records (
                user_id          TEXT NOT NULL,
                key              TEXT NOT NULL,
                request_hash     TEXT NOT NULL,
                status           INTEGER NOT NULL,
                content_type     TEXT NOT NULL,
                headers          TEXT NOT NULL,
                body             BLOB NOT NULL,
                created_at_ticks INTEGER NOT NULL,
                expires_at_ticks INTEGER NOT NULL,
                PRIMARY KEY (user_id, key)
            )
            """,
            "CREATE INDEX idempotency_records_by_expiry ON idempotency_records (expires_at_ticks)",
        ]),
        new(3, "items of every kind in conversations (messages with parts, function calls and outputs), deleted items, stored responses",
        [
            // Existing rows are messages of plain text: their defaults say so. A message with other parts,
            // and a function call or its output, keep what the plain columns cannot hold as JSON in data.
            "ALTER TABLE messages ADD COLUMN type TEXT NOT NULL DEFAULT 'message'",
            "ALTER TABLE messages ADD COLUMN data TEXT",
            "ALTER TABLE messages ADD COLUMN cached_tokens INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE messages ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0",
            // A deleted item keeps its row (emptied), so its position stays taken: positions only ever grow,
            // which is what lets the (conversation_id, seq) key stop a stale activation from writing.
            "ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0",
            // A response's document holds all of it (settings, its own input, its output); the columns find it.
            // One that belongs to a conversation goes with it; one that does not expires.
            """
            CREATE TABLE responses (
                id                   TEXT NOT NULL PRIMARY KEY,
                owner_id             TEXT NOT NULL,
                conversation_id      TEXT REFERENCES conversations (id) ON DELETE CASCADE,
                previous_response_id TEXT,
                status               TEXT NOT NULL,
                created_at_ticks     INTEGER NOT NULL,
                expires_at_ticks     INTEGER,
                document             TEXT NOT NULL
            )
            """,
            "CREATE INDEX responses_by_expiry ON responses (expires_at_ticks) WHERE expires_at_ticks IS NOT NULL",
            "CREATE INDEX responses_by_conversation ON responses (conversation_id) WHERE conversation_id IS NOT NULL",
        ]),
        new(4, "a conversation's truncation setting",
        [
            // What a turn does with a context longer than its model's window; conversations so far refuse, as OpenAI's default does.
            "ALTER TABLE conversations ADD COLUMN truncation TEXT NOT NULL DEFAULT 'disabled'",
        ]),
    ];
}
