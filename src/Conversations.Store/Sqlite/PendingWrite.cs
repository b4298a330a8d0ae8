namespace Conversations.Store.Sqlite;

/// <summary>
/// A write waiting for its turn in a group commit: run inside the shared transaction, then acknowledged (its
/// caller gets the result) only once that transaction committed, or failed alone or with the whole commit.
/// </summary>
internal sealed class PendingWrite<T>(Func<SqliteSession, T> work) : IPendingWrite
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _result = default!;
    private Exception? _failure;

    public Task<T> Completion => _completion.Task;

    public bool IsDone => _completion.Task.IsCompleted;

    public void Run(SqliteSession session) => _result = work(session);

    public void Fail(Exception failure)
    {
        _failure ??= failure;
        _completion.TrySetException(failure);
    }

    public void Acknowledge()
    {
        if (_failure is null)
        {
            _completion.TrySetResult(_result);
        }
    }
}
