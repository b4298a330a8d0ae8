using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteTurnResponseTests(SqliteBackend backend) : TurnResponseBehaviour(backend), IClassFixture<SqliteBackend>;
