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

    public async ValueTask<Principal?> Resolve(string key)
    {
        var hash = Hash(key);
        if (_answers.TryGetValue(hash, out KeyCheck? cached) && cached is not null)
        {
            return cached.Principal;
        }

        var answer = await grains.GetGrain<IKeyGrain>(hash).Check();
        _answers.Set(hash, answer, new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = options.Value.KeyCacheDuration,
            Size = 1,
        });
        return answer.Principal;
    }

    /// <summary>Drops this host's cached answer at once (the revoking host need not wait).</summary>
    public void Forget(string hash) => _answers.Remove(hash);
}
