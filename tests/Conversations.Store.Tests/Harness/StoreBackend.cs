using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Store.Tests.Harness;

/// <summary>One kind of store the shared behaviour suite runs against.</summary>
public abstract class StoreBackend
{
    /// <summary>A new, empty database; returns where it is (a file path or a connection string).</summary>
    public abstract Task<string> CreateDatabaseAsync();

    /// <summary>Registers the store on <paramref name="location"/> the way a host does.</summary>
    public abstract void AddStore(IServiceCollection services, string location);

    /// <summary>The schema versions recorded in the database, read directly, in order.</summary>
    public abstract Task<IReadOnlyList<int>> ReadSchemaVersionsAsync(string location);
}
