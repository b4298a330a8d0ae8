using System.Security.Cryptography;
using Conversations.Abstractions.Access;
using Conversations.Abstractions.Storage;
using Conversations.Core.Requests;
using Conversations.Core.Users;

namespace Conversations.Grains.Access;

/// <summary>Holds the hash secret and performs first-start bootstrap, once, for the whole cluster.</summary>
public sealed class AccessGrain(IUserStore users, TimeProvider clock) : Grain, IAccessGrain
{
    public const string DefaultUserId = "user_default";

    private byte[]? _secret;

    public async Task<byte[]> GetHashSecret()
    {
        if (_secret is null)
        {
            var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            _secret = Convert.FromHexString(await users.GetOrAddServiceValueAsync(ServiceValues.HashSecret, fresh));
        }

        return _secret;
    }

    public async Task<BootstrapResult> Bootstrap(BootstrapRequest request)
    {
        var secret = await GetHashSecret();
        string? generatedAdmin = null;
        if (request.AdminKeyHash is { } configuredAdmin)
        {
            var stored = await users.GetServiceValueAsync(ServiceValues.AdminKeyHash);
            if (stored != configuredAdmin)
            {
                // The configured admin key changed: the old one stops working.
                await users.SetServiceValueAsync(ServiceValues.AdminKeyHash, configuredAdmin);
                if (stored is not null)
                {
                    await GrainFactory.GetGrain<IKeyGrain>(stored).Invalidate();
                }
            }
        }
        else
        {
            var candidate = ApiKeys.Format(ApiKeys.AdminKeyPrefix, RandomNumberGenerator.GetBytes(ApiKeys.RandomBytes));
            var candidateHash = ApiKeys.Hash(secret, candidate);
            if (await users.GetOrAddServiceValueAsync(ServiceValues.AdminKeyHash, candidateHash) == candidateHash)
            {
                generatedAdmin = candidate;
            }
        }

        var now = clock.GetUtcNow();
        if (await users.GetUserAsync(DefaultUserId) is null)
        {
            await users.CreateUserAsync(new User(DefaultUserId, "default", UserLimits.Defaults, now));
        }

        string? generatedUserKey = null;
        if (request.DefaultUserKeyHash is { } configuredUserKey)
        {
            if (await users.FindKeyByHashAsync(configuredUserKey) is null)
            {
                await users.CreateKeyAsync(new ApiKey(IdGenerator.New(Ids.KeyPrefix), DefaultUserId, request.DefaultUserKeyPrefix ?? "", configuredUserKey, now, null));
            }

            // Like the admin key: a changed CONVERSATIONS_API_KEY replaces the one configured before.
            var previous = await users.GetServiceValueAsync(ServiceValues.DefaultUserKeyHash);
            if (previous is not null && previous != configuredUserKey && await users.FindKeyByHashAsync(previous) is { } old)
            {
                await users.RevokeKeyAsync(old.Id, now);
                await GrainFactory.GetGrain<IKeyGrain>(previous).Invalidate();
            }

            await users.SetServiceValueAsync(ServiceValues.DefaultUserKeyHash, configuredUserKey);
        }
        else if ((await users.ListKeysAsync(DefaultUserId)).IsEmpty)
        {
            var key = ApiKeys.Format(ApiKeys.UserKeyPrefix, RandomNumberGenerator.GetBytes(ApiKeys.RandomBytes));
            await users.CreateKeyAsync(new ApiKey(IdGenerator.New(Ids.KeyPrefix), DefaultUserId, ApiKeys.VisiblePrefix(key), ApiKeys.Hash(secret, key), now, null));
            generatedUserKey = key;
        }

        return new BootstrapResult(generatedAdmin, generatedUserKey);
    }
}
