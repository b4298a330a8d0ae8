namespace Conversations.Store.Tests.Harness;

/// <summary>
/// Base of the shared behaviour suites: every test gets a new, empty database of the backend's kind,
/// opened through a started host. Derived classes name the backend only; the tests are the same.
/// </summary>
public abstract class StoreBehaviour(StoreBackend backend) : IAsyncLifetime
{
    private readonly List<OpenStore> opened = [];

    protected StoreBackend Backend => backend;

    /// <summary>Where this test's database is.</summary>
    protected string Location { get; private set; } = "";

    /// <summary>The store opened on this test's database at the start.</summary>
    protected OpenStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Location = await backend.CreateDatabaseAsync();
        Store = await OpenAsync();
    }

    /// <summary>Another store on the same database, as a second process would open it.</summary>
    protected async Task<OpenStore> OpenAsync()
    {
        var store = await OpenStore.StartAsync(backend, Location);
        lock (opened)
        {
            opened.Add(store);
        }

        return store;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }
    }
}
