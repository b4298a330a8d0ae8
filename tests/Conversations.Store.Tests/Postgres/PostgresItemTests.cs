using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresItemTests(PostgresBackend backend) : ItemBehaviour(backend);
