using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Conversations.Store.Sqlite;

/// <summary>
/// One SQLite database file, shared by the SQLite stores.
/// <para>
/// Writes go through a single long-lived connection behind an async gate: SQLite admits one writer at a
/// time anyway, so queueing in-process costs nothing and keeps this process's writers from spinning on
/// the file lock; the connection keeps its prepared statements, so a turn append only binds and steps.
/// Writes queued behind a commit are committed together (see <see cref="WriteAsync"/>).
/// Reads use a small pool of read-only connections, which in WAL mode run alongside the writer.
/// </para>
/// </summary>
public sealed class SqliteDatabase : IStoreDatabase, IDisposable
{
    private const int MaxIdleReaders = 8;

    // Bounds how long one commit's transaction grows (and how long its writers wait) under a flood of writes.
    private const int MaxWritesPerCommit = 64;

    private readonly SqliteStoreOptions options;
    private readonly string connectionString;
    private readonly OneTimeInitialization initialization;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly ConcurrentBag<SqliteSession> idleReaders = [];
    private readonly ConcurrentQueue<IPendingWrite> pendingWrites = new();
    private SqliteSession? writer;
    private volatile bool disposed;

    public SqliteDatabase(IOptions<SqliteStoreOptions> options)
    {
        this.options = options.Value;
        if (string.IsNullOrWhiteSpace(this.options.DatabasePath))
        {
            throw new ArgumentException("SqliteStoreOptions.DatabasePath is required.", nameof(options));
        }

        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(this.options.DatabasePath),
            Mode = SqliteOpenMode.ReadWriteCreate,
            // This class keeps its own connections open; the library's pool would only add a layer.
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(this.options.BusyTimeout.TotalSeconds)),
        }.ToString();
        initialization = new OneTimeInitialization(MigrateAsync);
    }

    public string DatabasePath => Path.GetFullPath(options.DatabasePath);

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        initialization.EnsureAsync(cancellationToken).AsTask();

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction on the writer connection and returns once that
    /// transaction has committed (synced, with <see cref="SqliteSynchronous.Full"/>). Group commit: writes that
    /// arrive while another commits queue up, and the next writer to hold the gate commits all of them in one
    /// transaction, each in a savepoint of its own (one that fails is rolled back alone, and only its caller sees
    /// the failure), so concurrent turns share one sync instead of each paying for one.
    /// </summary>
    internal async ValueTask<T> WriteAsync<T>(Func<SqliteSession, T> work, CancellationToken cancellationToken)
    {
        await initialization.EnsureAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var write = new PendingWrite<T>(work);
        pendingWrites.Enqueue(write);
        // Once queued the write is going to be committed (by this caller or one ahead of it): no more cancelling.
        await writeGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!write.IsDone)
            {
                CommitPending();
            }
        }
        finally
        {
            writeGate.Release();
        }

        return await write.Completion.ConfigureAwait(false);
    }

    /// <summary>Commits every queued write in one transaction (the caller holds the gate).</summary>
    private void CommitPending()
    {
        var batch = new List<IPendingWrite>();
        while (batch.Count < MaxWritesPerCommit && pendingWrites.TryDequeue(out var queued))
        {
            batch.Add(queued);
        }

        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var session = writer ??= OpenSession(readOnly: false);
            session.InTransaction(write: true, () =>
            {
                foreach (var pending in batch)
                {
                    if (batch.Count == 1)
                    {
                        pending.Run(session);
                    }
                    else
                    {
                        session.InSavepoint(() => pending.Run(session), pending.Fail);
                    }
                }

                return 0;
            });
        }
        catch (Exception exception)
        {
            foreach (var pending in batch)
            {
                pending.Fail(exception);
            }

            return;
        }

        foreach (var pending in batch)
        {
            pending.Acknowledge();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one read transaction, so multi-statement reads see one snapshot.</summary>
    internal async ValueTask<T> ReadAsync<T>(Func<SqliteSession, T> work, CancellationToken cancellationToken)
    {
        await initialization.EnsureAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(disposed, this);
        var session = idleReaders.TryTake(out var idle) ? idle : OpenSession(readOnly: true);
        var healthy = false;
        try
        {
            var result = session.InTransaction(write: false, () => work(session));
            healthy = true;
            return result;
        }
        finally
        {
            if (healthy && !disposed && idleReaders.Count < MaxIdleReaders)
            {
                idleReaders.Add(session);
            }
            else
            {
                session.Dispose();
            }
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        // Waits for a write in flight; the last connection to close checkpoints the WAL into the file.
        writeGate.Wait();
        try
        {
            while (idleReaders.TryTake(out var reader))
            {
                reader.Dispose();
            }

            writer?.Dispose();
            writer = null;
        }
        finally
        {
            writeGate.Release();
        }
    }

    private SqliteSession OpenSession(bool readOnly) => SqliteSession.Open(connectionString, options.BusyTimeout, options.Synchronous, readOnly);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var session = writer ??= OpenSession(readOnly: false);
            // WAL is a property of the file, kept once set; setting it again is a no-op.
            session.Execute("PRAGMA journal_mode = WAL");
            // The IMMEDIATE transaction holds the file's write lock, so a second process starting at
            // the same moment waits here and then finds the steps already applied.
            session.InTransaction(write: true, () =>
            {
                session.Execute(SqliteSchema.CreateVersionTable);
                var current = (long)session.Statement("SELECT coalesce(max(version), 0) FROM schema_version").ExecuteScalar()!;
                var latest = SqliteSchema.Migrations[^1].Version;
                if (current > latest)
                {
                    throw new InvalidOperationException(
                        $"The database {DatabasePath} has schema version {current}, newer than this build knows ({latest}). Run a newer build.");
                }

                foreach (var migration in SqliteSchema.Migrations.Where(m => m.Version > current))
                {
                    foreach (var statement in migration.Statements)
                    {
                        session.Execute(statement);
                    }

                    session.Statement("INSERT INTO schema_version (version, description) VALUES ($version, $description)")
                        .With("$version", migration.Version)
                        .With("$description", migration.Description)
                        .ExecuteNonQuery();
                }

                return 0;
            });
        }
        finally
        {
            writeGate.Release();
        }
    }
}
