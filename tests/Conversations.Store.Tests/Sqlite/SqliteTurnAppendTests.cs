using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteTurnAppendTests(SqliteBackend backend) : TurnAppendBehaviour(backend), IClassFixture<SqliteBackend>;
