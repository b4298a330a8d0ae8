using Microsoft.Data.Sqlite;

namespace Conversations.Store.Sqlite;

/// <summary>
/// One open connection and the statements prepared on it. Statements are kept per connection and
/// reused, so a hot path (a turn append) binds values and steps without parsing SQL again.
/// A session is used by one caller at a time.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> statements = new(StringComparer.Ordinal);
    private SqliteTransaction? transaction;

    private SqliteSession(SqliteConnection connection)
    {
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    public static SqliteSession Open(string connectionString, TimeSpan busyTimeout, SqliteSynchronous synchronous, bool readOnly)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var session = new SqliteSession(connection);
            // SQLite's own busy handler waits with fine-grained sleeps while another process holds the
            // lock; per connection, so every session sets it.
            session.Execute($"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}");
            session.Execute("PRAGMA foreign_keys = ON");
            // In WAL mode FULL syncs the WAL at every commit, so an acknowledged turn survives an OS crash or a power
            // loss as a PostgreSQL commit does; NORMAL leaves the sync to checkpoints (see SqliteSynchronous).
            session.Execute(synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            if (readOnly)
            {
                session.Execute("PRAGMA query_only = ON");
            }

            return session;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The prepared statement for <paramref name="sql"/>, cleared of earlier values and enlisted in the open transaction.</summary>
    public SqliteCommand Statement(string sql)
    {
        if (!statements.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            statements.Add(sql, command);
        }

        command.Parameters.Clear();
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Runs a one-off statement (a pragma, a schema step) without keeping it prepared.</summary>
    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction. A writer begins IMMEDIATE, taking the file's
    /// write lock up front: a deferred transaction that reads first and writes later can fail with
    /// SQLITE_BUSY when another process wrote in between, and no busy timeout helps then.
    /// </summary>
    public T InTransaction<T>(bool write, Func<T> work)
    {
        transaction = Connection.BeginTransaction(deferred: !write);
        try
        {
            var result = work();
            transaction.Commit();
            return result;
        }
        catch
        {
            RollBackQuietly();
            throw;
        }
        finally
        {
            transaction.Dispose();
            transaction = null;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside the open transaction as a savepoint: if it throws, what it did is rolled
    /// back (the rest of the transaction stays) and <paramref name="failed"/> gets the exception.
    /// </summary>
    public void InSavepoint(Action work, Action<Exception> failed)
    {
        const string Name = "one_write";
        transaction!.Save(Name);
        try
        {
            work();
            transaction.Release(Name);
        }
        catch (Exception exception)
        {
            transaction.Rollback(Name);
            transaction.Release(Name);
            failed(exception);
        }
    }

    public void Dispose()
    {
        foreach (var command in statements.Values)
        {
            command.Dispose();
        }

        statements.Clear();
        Connection.Dispose();
    }

    private void RollBackQuietly()
    {
        try
        {
            transaction?.Rollback();
        }
        catch (SqliteException)
        {
            // SQLite already rolled back (some errors end the transaction themselves); the original
            // exception is the one worth reporting.
        }
    }
}
