using Conversations.Abstractions.Storage;
using Conversations.Store.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>Start-up migration: before use, idempotent, and safe when processes start together.</summary>
public abstract class SchemaBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    [Fact]
    public async Task Starting_the_host_creates_the_schema_before_any_store_call()
    {
        Assert.Equal([1], await Backend.ReadSchemaVersionsAsync(Location));
    }

    [Fact]
    public async Task Starting_again_on_a_migrated_database_changes_nothing()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "kept")]);
        await Store.DisposeAsync();

        await using var second = await OpenAsync();
        await using var third = await OpenAsync();

        Assert.Equal([1], await Backend.ReadSchemaVersionsAsync(Location));
        var stored = await third.Conversations.LoadAsync(conversation.Id);
        Assert.Equal("kept", Assert.Single(stored!.Messages).Content);
    }

    [Fact]
    public async Task Processes_starting_together_on_a_new_database_all_come_up()
    {
        var fresh = await Backend.CreateDatabaseAsync();
        var starts = Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenStore.StartAsync(Backend, fresh))).ToList();

        var stores = await Task.WhenAll(starts);
        try
        {
            Assert.Equal([1], await Backend.ReadSchemaVersionsAsync(fresh));
            for (var i = 0; i < stores.Length; i++)
            {
                await stores[i].Usage.AddAsync("ada", Samples.Today, new Core.Users.UsageTotals(1, Core.Messages.TokenUsage.Zero));
            }

            Assert.Equal(stores.Length, (await stores[0].Usage.GetTotalAsync("ada")).Requests);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_store_used_without_a_host_migrates_on_its_first_call()
    {
        var fresh = await Backend.CreateDatabaseAsync();
        var services = new ServiceCollection();
        Backend.AddStore(services, fresh);
        await using var provider = services.BuildServiceProvider();

        var users = await provider.GetRequiredService<IUserStore>().ListUsersAsync();

        Assert.Empty(users);
        Assert.Equal([1], await Backend.ReadSchemaVersionsAsync(fresh));
    }
}
