using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Sqlite;

public sealed class SqliteConversationLifecycleTests(SqliteBackend backend) : ConversationLifecycleBehaviour(backend), IClassFixture<SqliteBackend>;
