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

    /// <summary>A plain connection to the file, outside the store.</summary>
    public static SqliteConnection OpenDirect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }
}
