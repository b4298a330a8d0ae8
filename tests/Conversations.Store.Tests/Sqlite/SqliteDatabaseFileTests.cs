using Conversations.Abstractions.Storage;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Store.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
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
