using Conversations.Abstractions.Storage;
using Conversations.Core.Idempotency;
using Orleans.Concurrency;

namespace Conversations.Abstractions.Idempotency;

/// <summary>
/// One idempotency key of one user on the stateless route, keyed <c>{userId}/{key}</c>. Being one grain
/// cluster-wide, it is what makes a repeat arriving at another host see the first request running.
/// </summary>
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>Run (the key is then held until completed or released), replay the stored response, or refuse.</summary>
    Task<KeyDecision<StoredResponse>> Claim(string requestHash);

    /// <summary>The request succeeded: keep its response, in memory and in the store, for the window.</summary>
    Task Complete(string requestHash, StoredResponse response);

    /// <summary>The request failed or was abandoned: free the key so a retry runs it again.</summary>
    [OneWay]
    Task Release(string requestHash);

    public static string KeyFor(string userId, string key) => $"{userId}/{key}";
}
