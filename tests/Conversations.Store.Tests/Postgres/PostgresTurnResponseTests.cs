using Conversations.Store.Tests.Behaviour;

namespace Conversations.Store.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresTurnResponseTests(PostgresBackend backend) : TurnResponseBehaviour(backend);
