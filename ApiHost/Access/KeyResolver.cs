using System.Security.Claims;
using Conversations.Abstractions.Access;
using Conversations.Core.Users;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Access;

/// <summary>
/// Answers "whose key is this?" for a bearer key. The answer lives in the cluster (one grain per key
/// hash); a host keeps it for <see cref="ApiHostOptions.KeyCacheDuration"/>, which bounds how long a
/// revoked key keeps working on another host. Unknown keys are cached too, so garbage keys cannot
/// flood the cluster.
/// </summary>
public sealed class KeyResolver(IGrainFactory grains, IOptions<ApiHostOptions> options)
{
    private readonly MemoryCache _answers = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private byte[]? _secret;

    public bool Ready => _secret is not null;

    public void UseSecret(byte[] secret) => _secret = secret;

    public string Hash(string key) =>
        ApiKeys.Hash(_secret ?? throw new InvalidOperationException("The key hash secret has not been loaded yet."), key);

    /// <summary>The key's owner, as the principal its requests run as (one per cached answer, shared by its requests); null for a key that is unknown or revoked.</summary>
    public async ValueTask<ClaimsPrincipal?> Resolve(string key)
    {
        var hash = Hash(key);
        if (_answers.TryGetValue(hash, out ClaimsPrincipal? cached))
        {
            return cached;
        }

        var answer = await grains.GetGrain<IKeyGrain>(hash).Check();
        var principal = answer.Principal is { } owner ? new ClaimsPrincipal(new CallerIdentity(owner)) : null;
        _answers.Set(hash, principal, new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = options.Value.KeyCacheDuration,
            Size = 1,
        });
        return principal;
    }

    /// <summary>Drops this host's cached answer at once (the revoking host need not wait).</summary>
    public void Forget(string hash) => _answers.Remove(hash);
}
