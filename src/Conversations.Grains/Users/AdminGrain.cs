using System.Collections.Immutable;
using System.Security.Cryptography;
using Conversations.Abstractions.Access;
using Conversations.Abstractions.Storage;
using Conversations.Abstractions.Users;
using Conversations.Core.Requests;
using Conversations.Core.Users;
using OneOf;
using Orleans.Concurrency;

namespace Conversations.Grains.Users;

[StatelessWorker]
public sealed class AdminGrain(IUserStore users, TimeProvider clock) : Grain, IAdminGrain
{
    public async Task<User> CreateUser(string name, UserLimits limits)
    {
        var user = new User(IdGenerator.New(Ids.UserPrefix), name, limits, clock.GetUtcNow());
        await users.CreateUserAsync(user);
        return user;
    }

    public Task<ImmutableArray<User>> ListUsers() => users.ListUsersAsync();

    public async Task<OneOf<IssuedKey, AdminError>> IssueKey(string userId)
    {
        if (await users.GetUserAsync(userId) is null)
        {
            return new AdminError.UserNotFound(userId);
        }

        var secret = await GrainFactory.GetGrain<IAccessGrain>(IAccessGrain.Key).GetHashSecret();
        var key = ApiKeys.Format(ApiKeys.UserKeyPrefix, RandomNumberGenerator.GetBytes(ApiKeys.RandomBytes));
        var record = new ApiKey(IdGenerator.New(Ids.KeyPrefix), userId, ApiKeys.VisiblePrefix(key), ApiKeys.Hash(secret, key), clock.GetUtcNow(), null);
        await users.CreateKeyAsync(record);
        return new IssuedKey(record, key);
    }

    public async Task<OneOf<ImmutableArray<ApiKey>, AdminError>> ListKeys(string userId)
    {
        if (await users.GetUserAsync(userId) is null)
        {
            return new AdminError.UserNotFound(userId);
        }

        return await users.ListKeysAsync(userId);
    }

    public async Task<OneOf<ApiKey, AdminError>> RevokeKey(string keyId)
    {
        if (!await users.RevokeKeyAsync(keyId, clock.GetUtcNow()))
        {
            return new AdminError.KeyNotFound(keyId);
        }

        var key = (await users.GetKeyAsync(keyId))!;
        // The key's grain is the one cluster-wide answer hosts ask; hosts' own caches expire within a second.
        await GrainFactory.GetGrain<Abstractions.Access.IKeyGrain>(key.Hash).Invalidate();
        return key;
    }

    public async Task<ImmutableArray<UsageReport>> AllUsage()
    {
        var all = await users.ListUsersAsync();
        var reports = await Task.WhenAll(all.Select(user => GrainFactory.GetGrain<IUserGrain>(user.Id).GetUsage()));
        return [.. reports];
    }
}
