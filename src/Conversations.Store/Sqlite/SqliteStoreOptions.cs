namespace Conversations.Store.Sqlite;

public sealed class SqliteStoreOptions
{
    /// <summary>The database file. Its directory is created if it does not exist.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// How long a statement waits for a lock another process holds on the file before it fails. Within
    /// one process writes queue on the store's own gate and never wait here.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
