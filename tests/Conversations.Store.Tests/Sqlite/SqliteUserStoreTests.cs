using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteUserStoreTests(SqliteBackend backend) : UserStoreBehaviour(backend), IClassFixture<SqliteBackend>;
