using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteTurnKeyTests(SqliteBackend backend) : TurnKeyBehaviour(backend), IClassFixture<SqliteBackend>;
