using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteItemTests(SqliteBackend backend) : ItemBehaviour(backend), IClassFixture<SqliteBackend>;
