using System.Collections.Immutable;
using Conversations.Abstractions.Storage;
using Conversations.Core.Users;
using Conversations.Store.Rows;
using Npgsql;

namespace Conversations.Store.Postgres;

public sealed class PostgresUserStore(PostgresDatabase database) : IUserStore
{
    internal const string InsertUser = $"""
        INSERT INTO users ({UserRow.Columns}) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (id) DO NOTHING
        """;

    internal const string SelectUser = $"SELECT {UserRow.Columns} FROM users WHERE id = $1";

    internal const string SelectUsers = $"SELECT {UserRow.Columns} FROM users ORDER BY created_at_ticks, list_seq";

    internal const string InsertKey = $"""
        INSERT INTO api_keys ({ApiKeyRow.Columns}) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT DO NOTHING
        """;

    internal const string SelectKeyByHash = $"SELECT {ApiKeyRow.Columns} FROM api_keys WHERE hash = $1";

    internal const string SelectKey = $"SELECT {ApiKeyRow.Columns} FROM api_keys WHERE id = $1";

    // coalesce keeps the first revocation time: revoking twice is harmless and does not move it.
    internal const string RevokeKey = "UPDATE api_keys SET revoked_at_ticks = coalesce(revoked_at_ticks, $2) WHERE id = $1";

    internal const string SelectKeysOfUser = $"SELECT {ApiKeyRow.Columns} FROM api_keys WHERE user_id = $1 ORDER BY created_at_ticks, id";

    internal const string SelectServiceValue = "SELECT value FROM service_values WHERE name = $1";

    internal const string UpsertServiceValue = "INSERT INTO service_values (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value";

    internal const string InsertServiceValue = "INSERT INTO service_values (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";

    public async Task CreateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = new NpgsqlCommand(InsertUser, connection).With(
            PostgresParameters.Text(user.Id),
            PostgresParameters.Text(user.Name),
            PostgresParameters.Integer(user.Limits.RequestsPerMinute),
            PostgresParameters.Bigint(user.Limits.TokensPerDay),
            PostgresParameters.Integer(user.Limits.ConcurrentStreams),
            PostgresParameters.Bigint(StoredValues.ToTicks(user.CreatedAt)));
        if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new InvalidOperationException($"A user with id {user.Id} already exists.");
        }
    }

    public async Task<User?> GetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectUser, connection).With(PostgresParameters.Text(userId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? UserRow.Read(reader) : null;
    }

    public async Task<ImmutableArray<User>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectUsers, connection);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var users = ImmutableArray.CreateBuilder<User>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(UserRow.Read(reader));
        }

        return users.DrainToImmutable();
    }

    public async Task CreateKeyAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = new NpgsqlCommand(InsertKey, connection).With(
            PostgresParameters.Text(key.Id),
            PostgresParameters.Text(key.UserId),
            PostgresParameters.Text(key.Prefix),
            PostgresParameters.Text(key.Hash),
            PostgresParameters.Bigint(StoredValues.ToTicks(key.CreatedAt)),
            PostgresParameters.Bigint(StoredValues.ToTicks(key.RevokedAt)));
        int inserted;
        try
        {
            inserted = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new InvalidOperationException($"There is no user with id {key.UserId} to own the key.", e);
        }

        if (inserted == 0)
        {
            throw new InvalidOperationException($"A key with id {key.Id} or the same hash already exists.");
        }
    }

    public async Task<ApiKey?> FindKeyByHashAsync(string hash, CancellationToken cancellationToken = default) =>
        await ReadKeyAsync(SelectKeyByHash, hash, cancellationToken).ConfigureAwait(false);

    public async Task<ApiKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        await ReadKeyAsync(SelectKey, keyId, cancellationToken).ConfigureAwait(false);

    public async Task<ImmutableArray<ApiKey>> ListKeysAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectKeysOfUser, connection).With(PostgresParameters.Text(userId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = ImmutableArray.CreateBuilder<ApiKey>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ApiKeyRow.Read(reader));
        }

        return keys.DrainToImmutable();
    }

    public async Task SetServiceValueAsync(string name, string value, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = new NpgsqlCommand(UpsertServiceValue, connection).With(PostgresParameters.Text(name), PostgresParameters.Text(value));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RevokeKeyAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var revoke = new NpgsqlCommand(RevokeKey, connection).With(
            PostgresParameters.Text(keyId),
            PostgresParameters.Bigint(StoredValues.ToTicks(revokedAt)));
        return await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<string?> GetServiceValueAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectServiceValue, connection).With(PostgresParameters.Text(name));
        return (string?)await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> GetOrAddServiceValueAsync(string name, string value, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Two statements, not one with a CTE: a statement's snapshot would not see a row another
        // session committed while this insert waited on it, but the following statement's does
        // (READ COMMITTED takes a new snapshot per statement).
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(InsertServiceValue).With(PostgresParameters.Text(name), PostgresParameters.Text(value)),
                new NpgsqlBatchCommand(SelectServiceValue).With(PostgresParameters.Text(name)),
            },
        };
        return (string)(await batch.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<ApiKey?> ReadKeyAsync(string sql, string argument, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(sql, connection).With(PostgresParameters.Text(argument));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ApiKeyRow.Read(reader) : null;
    }
}
