using System.Collections.Immutable;
using Conversations.Abstractions.Storage;
using Conversations.Core.Users;
using Conversations.Store.Rows;
using Microsoft.Data.Sqlite;

namespace Conversations.Store.Sqlite;

public sealed class SqliteUserStore(SqliteDatabase database) : IUserStore
{
    private const int SqliteConstraintForeignKey = 787;

    internal const string InsertUser = $"""
        INSERT INTO users ({UserRow.Columns})
        VALUES ($id, $name, $requests_per_minute, $tokens_per_day, $concurrent_streams, $created_at_ticks)
        ON CONFLICT (id) DO NOTHING
        """;

    internal const string SelectUser = $"SELECT {UserRow.Columns} FROM users WHERE id = $id";

    internal const string SelectUsers = $"SELECT {UserRow.Columns} FROM users ORDER BY created_at_ticks, list_seq";

    internal const string InsertKey = $"""
        INSERT INTO api_keys ({ApiKeyRow.Columns})
        VALUES ($id, $user_id, $prefix, $hash, $created_at_ticks, $revoked_at_ticks)
        ON CONFLICT DO NOTHING
        """;

    internal const string SelectKeyByHash = $"SELECT {ApiKeyRow.Columns} FROM api_keys WHERE hash = $hash";

    internal const string SelectKey = $"SELECT {ApiKeyRow.Columns} FROM api_keys WHERE id = $id";

    // coalesce keeps the first revocation time: revoking twice is harmless and does not move it.
    internal const string RevokeKey = "UPDATE api_keys SET revoked_at_ticks = coalesce(revoked_at_ticks, $revoked_at_ticks) WHERE id = $id";

    internal const string SelectKeysOfUser = $"SELECT {ApiKeyRow.Columns} FROM api_keys WHERE user_id = $user_id ORDER BY created_at_ticks, id";

    internal const string SelectServiceValue = "SELECT value FROM service_values WHERE name = $name";

    internal const string UpsertServiceValue = "INSERT INTO service_values (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value";

    internal const string InsertServiceValue = "INSERT INTO service_values (name, value) VALUES ($name, $value) ON CONFLICT (name) DO NOTHING";

    public async Task CreateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        var created = await database.WriteAsync(session =>
            session.Statement(InsertUser)
                .With("$id", user.Id)
                .With("$name", user.Name)
                .With("$requests_per_minute", user.Limits.RequestsPerMinute)
                .With("$tokens_per_day", user.Limits.TokensPerDay)
                .With("$concurrent_streams", user.Limits.ConcurrentStreams)
                .With("$created_at_ticks", StoredValues.ToTicks(user.CreatedAt))
                .ExecuteNonQuery() == 1, cancellationToken).ConfigureAwait(false);
        if (!created)
        {
            throw new InvalidOperationException($"A user with id {user.Id} already exists.");
        }
    }

    public async Task<User?> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            using var reader = session.Statement(SelectUser).With("$id", userId).ExecuteReader();
            return reader.Read() ? UserRow.Read(reader) : null;
        }, cancellationToken).ConfigureAwait(false);

    public async Task<ImmutableArray<User>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            var users = ImmutableArray.CreateBuilder<User>();
            using var reader = session.Statement(SelectUsers).ExecuteReader();
            while (reader.Read())
            {
                users.Add(UserRow.Read(reader));
            }

            return users.DrainToImmutable();
        }, cancellationToken).ConfigureAwait(false);

    public async Task CreateKeyAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        bool created;
        try
        {
            created = await database.WriteAsync(session =>
                session.Statement(InsertKey)
                    .With("$id", key.Id)
                    .With("$user_id", key.UserId)
                    .With("$prefix", key.Prefix)
                    .With("$hash", key.Hash)
                    .With("$created_at_ticks", StoredValues.ToTicks(key.CreatedAt))
                    .With("$revoked_at_ticks", StoredValues.ToTicks(key.RevokedAt))
                    .ExecuteNonQuery() == 1, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == SqliteConstraintForeignKey)
        {
            throw new InvalidOperationException($"There is no user with id {key.UserId} to own the key.", e);
        }

        if (!created)
        {
            throw new InvalidOperationException($"A key with id {key.Id} or the same hash already exists.");
        }
    }

    public async Task<ApiKey?> FindKeyByHashAsync(string hash, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            using var reader = session.Statement(SelectKeyByHash).With("$hash", hash).ExecuteReader();
            return reader.Read() ? ApiKeyRow.Read(reader) : null;
        }, cancellationToken).ConfigureAwait(false);

    public async Task<ApiKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            using var reader = session.Statement(SelectKey).With("$id", keyId).ExecuteReader();
            return reader.Read() ? ApiKeyRow.Read(reader) : null;
        }, cancellationToken).ConfigureAwait(false);

    public async Task<ImmutableArray<ApiKey>> ListKeysAsync(string userId, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            var keys = ImmutableArray.CreateBuilder<ApiKey>();
            using var reader = session.Statement(SelectKeysOfUser).With("$user_id", userId).ExecuteReader();
            while (reader.Read())
            {
                keys.Add(ApiKeyRow.Read(reader));
            }

            return keys.DrainToImmutable();
        }, cancellationToken).ConfigureAwait(false);

    public async Task SetServiceValueAsync(string name, string value, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(
            session => session.Statement(UpsertServiceValue).With("$name", name).With("$value", value).ExecuteNonQuery(),
            cancellationToken).ConfigureAwait(false);

    public async Task<bool> RevokeKeyAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(session =>
            session.Statement(RevokeKey)
                .With("$id", keyId)
                .With("$revoked_at_ticks", StoredValues.ToTicks(revokedAt))
                .ExecuteNonQuery() == 1, cancellationToken).ConfigureAwait(false);

    public async Task<string?> GetServiceValueAsync(string name, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(
            session => (string?)session.Statement(SelectServiceValue).With("$name", name).ExecuteScalar(),
            cancellationToken).ConfigureAwait(false);

    public async Task<string> GetOrAddServiceValueAsync(string name, string value, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(session =>
        {
            // Both statements run in the write transaction, which holds the file's write lock: no other
            // writer, in this process or another, can slip in between.
            session.Statement(InsertServiceValue).With("$name", name).With("$value", value).ExecuteNonQuery();
            return (string)session.Statement(SelectServiceValue).With("$name", name).ExecuteScalar()!;
        }, cancellationToken).ConfigureAwait(false);
}
