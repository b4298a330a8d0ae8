using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteSchemaTests(SqliteBackend backend) : SchemaBehaviour(backend), IClassFixture<SqliteBackend>;
