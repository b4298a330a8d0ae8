using System.Collections.Immutable;
using Conversations.Core.Users;
using OneOf;

namespace Conversations.Abstractions.Users;

/// <summary>The admin routes' operations on users and keys. Stateless: any silo answers from the store.</summary>
public interface IAdminGrain : IGrainWithIntegerKey
{
    Task<User> CreateUser(string name, UserLimits limits);

    Task<ImmutableArray<User>> ListUsers();

    /// <summary>A new key for the user; the only time the full key exists outside the caller's hands.</summary>
    Task<OneOf<IssuedKey, AdminError>> IssueKey(string userId);

    Task<OneOf<ImmutableArray<ApiKey>, AdminError>> ListKeys(string userId);

    Task<OneOf<ApiKey, AdminError>> RevokeKey(string keyId);

    Task<ImmutableArray<UsageReport>> AllUsage();
}
