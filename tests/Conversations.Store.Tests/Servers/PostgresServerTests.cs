using Conversations.Testing.Databases;
using Npgsql;

namespace Conversations.Store.Tests.Servers;

/// <summary>The PostgreSQL fixture starts a real PostgreSQL 15, hands out separate databases, and removes everything on dispose.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task The_server_runs_postgres_15_with_separate_databases_and_leaves_nothing_behind()
    {
        var server = await PostgresServer.StartAsync();
        var directory = server.WorkingDirectory;
        string first;
        try
        {
            first = await server.CreateDatabaseAsync();
            var second = await server.CreateDatabaseAsync();
            Assert.NotEqual(first, second);

            Assert.StartsWith("PostgreSQL 15", (string?)await ScalarAsync(first, "SELECT version()"));
            await ScalarAsync(first, "CREATE TABLE only_here (id int)");
            Assert.Equal(0L, await ScalarAsync(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'"));
        }
        finally
        {
            await server.DisposeAsync();
        }

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(first, "SELECT 1"));
        Assert.False(Directory.Exists(directory));
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
