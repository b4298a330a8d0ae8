namespace Conversations.Abstractions.Access;

/// <summary>
/// One API key, keyed by its keyed hash (lowercase hex). Hosts ask it who a bearer key belongs to
/// and cache the answer briefly; revoking goes through it, so the answer changes cluster-wide at once.
/// </summary>
public interface IKeyGrain : IGrainWithStringKey
{
    Task<KeyCheck> Check();

    /// <summary>Forgets what it loaded, so the next check reads the store again (after a revoke).</summary>
    Task Invalidate();
}
