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

    /// <summary>
    /// A new database left as a build that knew only the schema steps up to <paramref name="version"/>
    /// would leave it: those steps applied and recorded, nothing later.
    /// </summary>
    public abstract Task<string> CreateDatabaseAtSchemaStepAsync(int version);

    /// <summary>Runs SQL directly on the database, outside the store (literals only, no parameters).</summary>
    public abstract Task ExecuteAsync(string location, string sql);

    /// <summary>Reads one number directly from the database, outside the store (a count, say; literals only).</summary>
    public abstract Task<long> ScalarAsync(string location, string sql);
}
