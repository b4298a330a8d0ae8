using Conversations.Store.Postgres;
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

    public override async Task<string> CreateDatabaseAtSchemaStepAsync(int version)
    {
        var location = await CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(location);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, PostgresSchema.CreateVersionTable);
        foreach (var step in PostgresSchema.Migrations.Where(m => m.Version <= version))
        {
            foreach (var statement in step.Statements)
            {
                await ExecuteAsync(connection, statement);
            }

            await ExecuteAsync(connection, $"INSERT INTO schema_version (version, description) VALUES ({step.Version}, 'step {step.Version}')");
        }

        await transaction.CommitAsync();
        return location;
    }

    public override async Task ExecuteAsync(string location, string sql)
    {
        await using var connection = new NpgsqlConnection(location);
        await connection.OpenAsync();
        await ExecuteAsync(connection, sql);
    }

    public override async Task<long> ScalarAsync(string location, string sql)
    {
        await using var connection = new NpgsqlConnection(location);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
