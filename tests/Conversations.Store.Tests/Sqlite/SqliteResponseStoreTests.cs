using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteResponseStoreTests(SqliteBackend backend) : ResponseStoreBehaviour(backend), IClassFixture<SqliteBackend>;
