using Conversations.Store.Tests.Harness;
using Conversations.Testing.Databases;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Conversations.Store.Tests.Postgres;

/// <summary>One real PostgreSQL server for the whole PostgreSQL half of the suite; each test gets its own database on it.</summary>
public sealed class PostgresBackend : StoreBackend, IAsyncLifetime
{
    public PostgresServer Server { get; } = new();

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();

    public override Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync();

    public override void AddStore(IServiceCollection services, string location) => services.AddPostgresStore(location);

    public override async Task<IReadOnlyList<int>> ReadSchemaVersionsAsync(string location)
    {
        await using var connection = new NpgsqlConnection(location);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT version FROM schema_version ORDER BY version", connection);
        var versions = new List<int>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
