namespace Conversations.Store.Tests.Postgres;

/// <summary>The test classes that share one PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresBackend>
{
    public const string Name = "PostgreSQL server";
}
