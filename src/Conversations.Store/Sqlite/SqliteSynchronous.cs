namespace Conversations.Store.Sqlite;

/// <summary>How far a SQLite commit is on disk when it is acknowledged (SQLite's <c>synchronous</c>, in WAL mode).</summary>
public enum SqliteSynchronous
{
    /// <summary>Synced to disk at every commit: nothing acknowledged is lost, even to an OS crash or a power loss.</summary>
    Full,

    /// <summary>
    /// In the WAL file, which the OS holds even if this process is killed the next instant; an OS crash or power
    /// loss can drop the last few commits (never corrupting the file). Saves a sync per commit.
    /// </summary>
    Normal,
}
