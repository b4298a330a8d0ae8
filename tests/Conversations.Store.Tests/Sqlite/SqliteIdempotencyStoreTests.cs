using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteIdempotencyStoreTests(SqliteBackend backend) : IdempotencyStoreBehaviour(backend), IClassFixture<SqliteBackend>;
