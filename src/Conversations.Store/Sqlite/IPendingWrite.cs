namespace Conversations.Store.Sqlite;

/// <summary>A queued write of any result type, as a group commit handles it (see <see cref="PendingWrite{T}"/>).</summary>
internal interface IPendingWrite
{
    bool IsDone { get; }

    void Run(SqliteSession session);

    void Fail(Exception failure);

    void Acknowledge();
}
