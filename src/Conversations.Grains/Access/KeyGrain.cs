using Conversations.Abstractions.Access;
using Conversations.Abstractions.Storage;
using Conversations.Core.Users;

namespace Conversations.Grains.Access;

/// <summary>Answers whose key a hash is, from the store, remembering a key it found until told to forget.</summary>
public sealed class KeyGrain(IUserStore users) : Grain, IKeyGrain
{
    private KeyCheck? _answer;

    private string Hash => this.GetPrimaryKeyString();

    public async Task<KeyCheck> Check()
    {
        if (_answer is { } remembered)
        {
            return remembered;
        }

        var answer = await Load();
        // "Unknown" is not remembered: a key may be registered after it was first tried (a configured key at
        // bootstrap, the admin key replaced), and nothing would tell this grain to forget.
        if (answer.Principal is not null)
        {
            _answer = answer;
        }
        else
        {
            // Nothing worth holding for a key that is not one (garbage keys would otherwise pile up
            // activations); the host caches the refusal briefly anyway.
            DeactivateOnIdle();
        }

        return answer;
    }

    public Task Invalidate()
    {
        _answer = null;
        return Task.CompletedTask;
    }

    private async Task<KeyCheck> Load()
    {
        var key = await users.FindKeyByHashAsync(Hash);
        if (key is not null)
        {
            // The lookup was by hash; compare again in constant time before trusting the match.
            return key.RevokedAt is null && ApiKeys.SameHash(key.Hash, Hash)
                ? new KeyCheck(new Principal(key.UserId, key.Id, IsAdmin: false))
                : KeyCheck.Unknown;
        }

        var adminHash = await users.GetServiceValueAsync(ServiceValues.AdminKeyHash);
        return adminHash is not null && ApiKeys.SameHash(adminHash, Hash)
            ? new KeyCheck(Principal.Admin)
            : KeyCheck.Unknown;
    }
}
