using System.Collections.Immutable;

namespace Conversations.Store.Postgres;

/// <summary>
/// The PostgreSQL schema, step by step. It mirrors the SQLite one; times are UTC ticks in
/// <c>bigint</c> (see <see cref="StoredValues"/>), days are <c>date</c>, metadata is <c>jsonb</c>.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>
    /// The advisory lock that serializes migrations between processes starting at once. Advisory locks
    /// are per database, so other databases on the same server are unaffected. The number is arbitrary
    /// and only has to stay the same.
    /// </summary>
    public const long MigrationLock = 0x436F6E7665727331; // "Convers1"

    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     integer PRIMARY KEY,
            description text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """;

    public static readonly ImmutableArray<SchemaMigration> Migrations =
    [
        new(1, "conversations, messages, users, api keys, daily usage, service values",
        [
            // list_seq: the order conversations were stored in, which an owner's list pages through.
            """
            CREATE TABLE conversations (
                id                text PRIMARY KEY,
                list_seq          bigint GENERATED ALWAYS AS IDENTITY,
                owner_id          text NOT NULL,
                created_at_ticks  bigint NOT NULL,
                metadata          jsonb NOT NULL,
                model             text NOT NULL,
                instructions      text NOT NULL,
                temperature       double precision,
                top_p             double precision,
                max_tokens        integer,
                requests          bigint NOT NULL,
                prompt_tokens     bigint NOT NULL,
                completion_tokens bigint NOT NULL
            )
            """,
            "CREATE INDEX conversations_by_owner ON conversations (owner_id, list_seq)",
            // The primary key is the append guard: a second message at a taken (conversation_id, seq)
            // is refused.
            """
            CREATE TABLE messages (
                conversation_id   text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                seq               bigint NOT NULL,
                id                text NOT NULL UNIQUE,
                role              text NOT NULL,
                content           text NOT NULL,
                status            text NOT NULL,
                created_at_ticks  bigint NOT NULL,
                prompt_tokens     bigint NOT NULL,
                completion_tokens bigint NOT NULL,
                model             text NOT NULL,
                finish_reason     text NOT NULL,
                completion_id     text NOT NULL,
                PRIMARY KEY (conversation_id, seq)
            )
            """,
            """
            CREATE TABLE users (
                id                  text PRIMARY KEY,
                list_seq            bigint GENERATED ALWAYS AS IDENTITY,
                name                text NOT NULL,
                requests_per_minute integer,
                tokens_per_day      bigint,
                concurrent_streams  integer,
                created_at_ticks    bigint NOT NULL
            )
            """,
            """
            CREATE TABLE api_keys (
                id               text PRIMARY KEY,
                user_id          text NOT NULL REFERENCES users (id),
                prefix           text NOT NULL,
                hash             text NOT NULL UNIQUE,
                created_at_ticks bigint NOT NULL,
                revoked_at_ticks bigint
            )
            """,
            "CREATE INDEX api_keys_by_user ON api_keys (user_id)",
            """
            CREATE TABLE usage_daily (
                user_id           text NOT NULL,
                day               date NOT NULL,
                requests          bigint NOT NULL,
                prompt_tokens     bigint NOT NULL,
                completion_tokens bigint NOT NULL,
                PRIMARY KEY (user_id, day)
            )
            """,
            """
            CREATE TABLE service_values (
                name  text PRIMARY KEY,
                value text NOT NULL
            )
            """,
        ]),
        new(2, "turn idempotency keys, stored answers to idempotent stateless requests",
        [
            // The key of a turn lives beside the turn's messages and goes with the conversation. The
            // primary key leads with conversation_id, which is also the lookup the cascade needs.
            """
            CREATE TABLE turn_keys (
                conversation_id  text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                key              text NOT NULL,
                request_hash     text NOT NULL,
                reply_message_id text NOT NULL,
                created_at_ticks bigint NOT NULL,
                PRIMARY KEY (conversation_id, key)
            )
            """,
            // Turn keys have no expiry of their own; the purge finds old ones by age.
            "CREATE INDEX turn_keys_by_age ON turn_keys (created_at_ticks)",
            // Headers are a JSON object of strings; the body is the answer's bytes as sent.
            """
            CREATE TABLE idempotency_records (
                user_id          text NOT NULL,
                key              text NOT NULL,
                request_hash     text NOT NULL,
                status           integer NOT NULL,
                content_type     text NOT NULL,
                headers          jsonb NOT NULL,
                body             bytea NOT NULL,
                created_at_ticks bigint NOT NULL,
                expires_at_ticks bigint NOT NULL,
                PRIMARY KEY (user_id, key)
            )
            """,
            "CREATE INDEX idempotency_records_by_expiry ON idempotency_records (expires_at_ticks)",
        ]),
        new(3, "items of every kind in conversations (messages with parts, function calls and outputs), deleted items, stored responses",
        [
            // Existing rows are messages of plain text: their defaults say so. A message with other parts,
            // and a function call or its output, keep what the plain columns cannot hold as JSON in data
            // (text, not jsonb: it is read back whole, never queried, and its raw schemas keep their form).
            "ALTER TABLE messages ADD COLUMN type text NOT NULL DEFAULT 'message'",
            "ALTER TABLE messages ADD COLUMN data text",
            "ALTER TABLE messages ADD COLUMN cached_tokens bigint NOT NULL DEFAULT 0",
            "ALTER TABLE messages ADD COLUMN reasoning_tokens bigint NOT NULL DEFAULT 0",
            // A deleted item keeps its row (emptied), so its position stays taken: positions only ever grow,
            // which is what lets the (conversation_id, seq) key stop a stale activation from writing.
            "ALTER TABLE messages ADD COLUMN deleted boolean NOT NULL DEFAULT false",
            // A response's document holds all of it (settings, its own input, its output); the columns find it.
            // One that belongs to a conversation goes with it; one that does not expires.
            """
            CREATE TABLE responses (
                id                   text PRIMARY KEY,
                owner_id             text NOT NULL,
                conversation_id      text REFERENCES conversations (id) ON DELETE CASCADE,
                previous_response_id text,
                status               text NOT NULL,
                created_at_ticks     bigint NOT NULL,
                expires_at_ticks     bigint,
                document             text NOT NULL
            )
            """,
            "CREATE INDEX responses_by_expiry ON responses (expires_at_ticks) WHERE expires_at_ticks IS NOT NULL",
            "CREATE INDEX responses_by_conversation ON responses (conversation_id) WHERE conversation_id IS NOT NULL",
        ]),
        new(4, "a conversation's truncation setting",
        [
            // What a turn does with a context longer than its model's window; conversations so far refuse, as OpenAI's default does.
            "ALTER TABLE conversations ADD COLUMN truncation text NOT NULL DEFAULT 'disabled'",
        ]),
    ];
}
