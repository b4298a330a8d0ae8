namespace Conversations.ApiHost;

/// <summary>Settings of the HTTP front door.</summary>
public sealed class ApiHostOptions
{
    /// <summary><c>CONVERSATIONS_MAX_BODY_BYTES</c>: larger request bodies get 413 (default 8 MiB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How long a host trusts its cached answer about a key; a revoke takes effect within this.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Model names clients may use on <c>/v1/chat/completions</c> and the upstream model each stands for
    /// (configuration <c>Models:Aliases:{alias}={model}</c>).
    /// </summary>
    public Core.ChatCompletions.ModelAliases ModelAliases { get; set; } = Core.ChatCompletions.ModelAliases.None;

    /// <summary>
    /// How long a host keeps requests it reserved from a user's limit (<c>ApiHost__ReservationLifetime</c>)
    /// before giving back those it did not use; 0 asks the cluster for every request.
    /// </summary>
    public TimeSpan ReservationLifetime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a host waiting on a single-shot turn checks that its grain is still answering it
    /// (<c>ApiHost__TurnCheckInterval</c>); a call lost with its silo ends with 503 after two such checks.
    /// </summary>
    public TimeSpan TurnCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Grain stream chunks carried per round trip between silo and host.</summary>
    public int StreamBatchSize { get; set; } = 32;
}
