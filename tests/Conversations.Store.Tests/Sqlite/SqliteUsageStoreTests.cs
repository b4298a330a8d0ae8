using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteUsageStoreTests(SqliteBackend backend) : UsageStoreBehaviour(backend), IClassFixture<SqliteBackend>;
