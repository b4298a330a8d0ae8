using Microsoft.Extensions.Options;
using Npgsql;

namespace Conversations.Store.Postgres;

/// <summary>One PostgreSQL database, shared by the PostgreSQL stores through Npgsql's pooled data source.</summary>
public sealed class PostgresDatabase : IStoreDatabase, IAsyncDisposable, IDisposable
{
    private readonly OneTimeInitialization initialization;

    public PostgresDatabase(IOptions<PostgresStoreOptions> options)
    {
        if (string.IsNullOrWhiteSpace(options.Value.ConnectionString))
        {
            throw new ArgumentException("PostgresStoreOptions.ConnectionString is required.", nameof(options));
        }

        var builder = new NpgsqlDataSourceBuilder(options.Value.ConnectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The store runs a few statements over and over (a turn is the same handful each time);
            // preparing them once per connection saves a parse and plan on every turn. A connection
            // string that sets its own value wins.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }

        DataSource = builder.Build();
        initialization = new OneTimeInitialization(MigrateAsync);
    }

    internal NpgsqlDataSource DataSource { get; }

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        initialization.EnsureAsync(cancellationToken).AsTask();

    /// <summary>An open pooled connection, once the schema exists.</summary>
    internal async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await initialization.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Held until commit: a second process migrating at the same moment waits here, then finds the
        // steps applied. Taken before anything else, because even CREATE TABLE IF NOT EXISTS can
        // collide when two sessions run it at once.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock($1)", cancellationToken, PostgresParameters.Bigint(PostgresSchema.MigrationLock)).ConfigureAwait(false);
        await ExecuteAsync(connection, PostgresSchema.CreateVersionTable, cancellationToken).ConfigureAwait(false);

        await using var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection);
        var version = (int)(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        var latest = PostgresSchema.Migrations[^1].Version;
        if (version > latest)
        {
            throw new InvalidOperationException(
                $"The database has schema version {version}, newer than this build knows ({latest}). Run a newer build.");
        }

        foreach (var migration in PostgresSchema.Migrations.Where(m => m.Version > version))
        {
            foreach (var statement in migration.Statements)
            {
                await ExecuteAsync(connection, statement, cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(
                connection,
                "INSERT INTO schema_version (version, description) VALUES ($1, $2)",
                cancellationToken,
                PostgresParameters.Integer(migration.Version),
                PostgresParameters.Text(migration.Description)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
