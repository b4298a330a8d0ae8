using Conversations.Store.Sqlite;
using Conversations.Store.Tests.Harness;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Store.Tests.Sqlite;

/// <summary>SQLite files in a temporary directory owned by one test class; each test gets its own file.</summary>
public sealed class SqliteBackend : StoreBackend, IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("conversations-store-");
    private int files;

    public string DirectoryPath => directory.FullName;

    public override Task<string> CreateDatabaseAsync() =>
        Task.FromResult(Path.Combine(directory.FullName, $"store-{Interlocked.Increment(ref files)}.db"));

    public override void AddStore(IServiceCollection services, string location) => services.AddSqliteStore(location);

    public override async Task<IReadOnlyList<int>> ReadSchemaVersionsAsync(string location)
    {
        await using var connection = OpenDirect(location);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT version FROM schema_version ORDER BY version";
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
        await using var connection = OpenDirect(location);
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL");
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, SqliteSchema.CreateVersionTable);
        foreach (var step in SqliteSchema.Migrations.Where(m => m.Version <= version))
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
        await using var connection = OpenDirect(location);
        await ExecuteAsync(connection, sql);
    }

    public override async Task<long> ScalarAsync(string location, string sql)
    {
        await using var connection = OpenDirect(location);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A plain connection to the file, outside the store.</summary>
    public static SqliteConnection OpenDirect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }
}
