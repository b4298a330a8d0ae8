using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteOwnerListTests(SqliteBackend backend) : OwnerListBehaviour(backend), IClassFixture<SqliteBackend>;
