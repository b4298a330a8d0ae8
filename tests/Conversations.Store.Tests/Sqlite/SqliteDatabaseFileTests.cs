using Conversations.Abstractions.Storage;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Store.Tests.Harness;
using Conversations.Store.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;

namespace Conversations.Store.Tests.Sqlite;

/// <summary>What only the embedded store has: a file it creates, in WAL mode, that holds every commit before the process ends.</summary>
public sealed class SqliteDatabaseFileTests(SqliteBackend backend) : StoreBehaviour(backend), IClassFixture<SqliteBackend>
{
    [Fact]
    public async Task The_file_and_its_missing_directories_are_created_at_start()
    {
        var path = Path.Combine(backend.DirectoryPath, Guid.NewGuid().ToString("N"), "data", "conversations.db");
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSqliteStore(path);
        using var host = builder.Build();

        await host.StartAsync();
        var exists = File.Exists(path);
        await host.StopAsync();

        Assert.True(exists);
    }

    [Fact]
    public async Task The_database_is_in_write_ahead_log_mode()
    {
        await using var connection = SqliteBackend.OpenDirect(Location);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await pragma.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(null, 2L)]
    [InlineData(SqliteSynchronous.Full, 2L)]
    [InlineData(SqliteSynchronous.Normal, 1L)]
    public async Task Every_commit_is_synced_to_disk_unless_the_operator_relaxes_it(SqliteSynchronous? setting, long pragma)
    {
        using var database = new SqliteDatabase(Options.Create(setting is { } relaxed
            ? new SqliteStoreOptions { DatabasePath = Location, Synchronous = relaxed }
            : new SqliteStoreOptions { DatabasePath = Location }));

        // SQLite's synchronous: 2 is FULL (the WAL synced at every commit), 1 is NORMAL.
        var synchronous = await database.WriteAsync(session => (long)session.Statement("PRAGMA synchronous").ExecuteScalar()!, CancellationToken.None);

        Assert.Equal(pragma, synchronous);
    }

    [Fact]
    public async Task Writes_that_queue_behind_a_commit_share_the_next_one_and_one_that_fails_fails_alone()
    {
        using var database = new SqliteDatabase(Options.Create(new SqliteStoreOptions { DatabasePath = Location }));
        var commits = 0;
        await database.WriteAsync(session =>
        {
            session.Execute("CREATE TABLE scratch (x INTEGER PRIMARY KEY)");
            SQLitePCL.raw.sqlite3_commit_hook(session.Connection.Handle, _ => { Interlocked.Increment(ref commits); return 0; }, null);
            return 0;
        }, CancellationToken.None);

        // A write holds the writer while twenty more arrive; one of them repeats its key.
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = Task.Run(() => database.WriteAsync(session =>
        {
            entered.Set();
            release.Wait();
            session.Execute("INSERT INTO scratch VALUES (0)");
            return 0;
        }, CancellationToken.None).AsTask());
        entered.Wait();
        var before = Volatile.Read(ref commits);
        var queued = Enumerable.Range(1, 20)
            .Select(i => database.WriteAsync(session =>
            {
                session.Execute($"INSERT INTO scratch VALUES ({(i == 7 ? 0 : i)})");
                return i;
            }, CancellationToken.None).AsTask())
            .ToList();
        release.Set();
        await first;

        var failed = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => queued[6]);
        Assert.Contains("UNIQUE", failed.Message, StringComparison.Ordinal);
        var acknowledged = await Task.WhenAll(queued.Where((_, i) => i != 6));
        Assert.Equal(Enumerable.Range(1, 20).Where(i => i != 7), acknowledged);
        // The first write's commit, then one for all twenty.
        Assert.Equal(2, Volatile.Read(ref commits) - before);
        var stored = await database.ReadAsync(session => (long)session.Statement("SELECT count(*) FROM scratch").ExecuteScalar()!, CancellationToken.None);
        Assert.Equal(20, stored);
    }

    [Fact]
    public async Task A_committed_turn_is_in_the_files_before_the_store_closes()
    {
        // Copying the files while the store still runs captures what a killed process leaves behind:
        // nothing is flushed or checkpointed by a clean shutdown first.
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "hi")]);
        var turn = Samples.Turn(conversation, 2, new TokenUsage(3, 4));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(turn));

        var copy = Path.Combine(backend.DirectoryPath, $"killed-{Guid.NewGuid():N}.db");
        File.Copy(Location, copy);
        if (File.Exists(Location + "-wal"))
        {
            File.Copy(Location + "-wal", copy + "-wal");
        }

        await using var afterKill = await OpenStore.StartAsync(backend, copy);
        var stored = await afterKill.Conversations.LoadAsync(conversation.Id);

        Assert.NotNull(stored);
        Assert.Equal([1L, 2, 3], stored.Items.Select(m => m.Sequence));
        Assert.Equal(1, stored.Conversation.Usage.Requests);
    }

    [Fact]
    public async Task An_empty_database_path_is_refused_when_the_store_is_built()
    {
        var services = new ServiceCollection();
        services.AddSqliteStore("  ");
        await using var provider = services.BuildServiceProvider();

        Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IConversationStore>());
    }
}
