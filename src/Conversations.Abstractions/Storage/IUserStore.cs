using System.Collections.Immutable;
using Conversations.Core.Users;

namespace Conversations.Abstractions.Storage;

/// <summary>Users, their API keys (as hashes only) and small service-wide values such as the admin key's hash.</summary>
public interface IUserStore
{
    Task CreateUserAsync(User user, CancellationToken cancellationToken = default);

    Task<User?> GetUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>All users, oldest first.</summary>
    Task<ImmutableArray<User>> ListUsersAsync(CancellationToken cancellationToken = default);

    Task CreateKeyAsync(ApiKey key, CancellationToken cancellationToken = default);

    Task<ApiKey?> FindKeyByHashAsync(string hash, CancellationToken cancellationToken = default);

    Task<ApiKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>The user's keys, revoked ones included, oldest first.</summary>
    Task<ImmutableArray<ApiKey>> ListKeysAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Marks the key revoked at <paramref name="revokedAt"/>. False if no such key; a second revoke keeps the first time.</summary>
    Task<bool> RevokeKeyAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);

    Task<string?> GetServiceValueAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Sets the value, replacing any earlier one.</summary>
    Task SetServiceValueAsync(string name, string value, CancellationToken cancellationToken = default);

    /// <summary>Sets the value only if the name has none yet; returns the value that is stored afterwards.</summary>
    Task<string> GetOrAddServiceValueAsync(string name, string value, CancellationToken cancellationToken = default);
}
