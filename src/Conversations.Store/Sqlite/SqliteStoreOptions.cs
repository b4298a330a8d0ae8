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

    /// <summary>
    /// <c>Store__SqliteSynchronous</c>: <c>Full</c> (the default) makes every commit durable before it is
    /// acknowledged, through an OS crash or power loss too; <c>Normal</c> only through a crash of this process.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;
}
