using Microsoft.Extensions.Configuration;

namespace Conversations.Upstream;

/// <summary>
/// Where the model lives and how patiently the service talks to it. The upstream itself comes from the
/// OpenAI SDKs' own variables (<c>OPENAI_BASE_URL</c>, <c>OPENAI_API_KEY</c>); the timings from the
/// <c>Upstream</c> section (<c>Upstream:AttemptTimeout</c>, or <c>Upstream__AttemptTimeout</c> in the environment).
/// </summary>
public sealed class UpstreamOptions
{
    public const string SectionName = "Upstream";
    public const string DefaultBaseUrl = "https://api.openai.com/v1";
    public const string DefaultUpstreamModel = "gpt-4o-mini";
    public const string BaseUrlVariable = "OPENAI_BASE_URL";
    public const string ApiKeyVariable = "OPENAI_API_KEY";
    public const string DefaultModelVariable = "CONVERSATIONS_DEFAULT_MODEL";
    public const string OfflineModelVariable = "CONVERSATIONS_OFFLINE_MODEL";

    /// <summary>The upstream's API root, ending in <c>/v1</c> for most servers (<c>OPENAI_BASE_URL</c>).</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>True when <c>OPENAI_BASE_URL</c> was given, even if it names OpenAI itself.</summary>
    public bool BaseUrlConfigured { get; set; }

    /// <summary>The provider key (<c>OPENAI_API_KEY</c>); local servers such as Ollama and vLLM need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The header that carries <see cref="ApiKey"/>: <c>Authorization</c> (as <c>Bearer</c>, the default) or
    /// another name that gets the bare key, such as Azure OpenAI's <c>api-key</c>.
    /// </summary>
    public string ApiKeyHeader { get; set; } = "Authorization";

    /// <summary>Whether <c>CONVERSATIONS_OFFLINE_MODEL=true</c> asked for the offline model beside a real upstream.</summary>
    public bool OfflineModelRequested { get; set; }

    /// <summary>The model a conversation gets when it names none (<c>CONVERSATIONS_DEFAULT_MODEL</c>).</summary>
    public string DefaultModel { get; set; } = Core.Offline.OfflineModel.ModelId;

    /// <summary>
    /// The request field that carries a conversation's <c>max_tokens</c> setting: <c>max_tokens</c> (the
    /// default, understood by every OpenAI-compatible server) or <c>max_completion_tokens</c> (required by
    /// OpenAI's reasoning models).
    /// </summary>
    public string MaxTokensParameter { get; set; } = Core.Upstream.UpstreamRequestJson.MaxTokensField;

    /// <summary>How long to wait for a TCP (and TLS) connection to the upstream.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one attempt may take to get the upstream's response headers. A single-shot reply's headers
    /// come only once the whole reply is generated, so this bounds the longest single-shot generation.
    /// A stream's body is not bound by it.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long all attempts together, with the waits between them, may take to get response headers.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a stream (or a reply body) may go without a single event before it is given up as timed out.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries after the first attempt, for 408, 429, 500, 502, 503, 504, timeouts and failed connections. 0 turns retrying off.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first backoff between attempts; it doubles each time, with jitter, when the upstream does not say how long to wait.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest backoff between attempts when the upstream does not say how long to wait.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// The longest <c>retry-after</c>/<c>retry-after-ms</c> the service waits before retrying. An upstream asking
    /// for longer is not retried: its 429 goes back to the client with the wait it asked for.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the upstream's model list is reused before it is asked again.</summary>
    public TimeSpan ModelsCacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>When to stop sending requests to an upstream (per host) that keeps failing.</summary>
    public UpstreamCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Why the <c>Upstream</c> section could not be read, when one of its values has the wrong form.</summary>
    private string? _unreadable;

    /// <summary>True when a real upstream was configured: a key, or an explicit base URL.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(ApiKey) || BaseUrlConfigured;

    /// <summary>The offline model answers when no real upstream is configured, or when asked for explicitly.</summary>
    public bool OfflineModelActive => !IsConfigured || OfflineModelRequested;

    /// <summary>Reads the options from configuration (environment variables included) over the defaults.</summary>
    public static void Bind(IConfiguration configuration, UpstreamOptions options)
    {
        var section = configuration.GetSection(SectionName);
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // A value of the wrong form (a timeout that is not a duration): reported with the other
            // problems, so validation at start names it instead of an exception at the first call.
            options._unreadable = e.Message;
        }

        options.BaseUrlConfigured |= NonEmpty(section[nameof(BaseUrl)]) is not null;
        if (NonEmpty(configuration[BaseUrlVariable]) is { } baseUrl)
        {
            options.BaseUrl = baseUrl;
            options.BaseUrlConfigured = true;
        }

        if (NonEmpty(configuration[ApiKeyVariable]) is { } apiKey)
        {
            options.ApiKey = apiKey;
        }

        if (NonEmpty(configuration[OfflineModelVariable]) is { } offline)
        {
            options.OfflineModelRequested = offline.Equals("true", StringComparison.OrdinalIgnoreCase) || offline == "1";
        }

        options.DefaultModel = NonEmpty(configuration[DefaultModelVariable])
            ?? (options.IsConfigured ? DefaultUpstreamModel : Core.Offline.OfflineModel.ModelId);
    }

    /// <summary>What is wrong with the options, in words an operator can act on; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (_unreadable is not null)
        {
            problems.Add(_unreadable);
        }

        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{BaseUrlVariable} must be an absolute http(s) URL such as {DefaultBaseUrl}.");
        }

        RequireTimeout(problems, nameof(AttemptTimeout), AttemptTimeout);
        RequireTimeout(problems, nameof(TotalTimeout), TotalTimeout);
        RequirePositive(problems, nameof(ConnectTimeout), ConnectTimeout);
        RequirePositive(problems, nameof(StreamIdleTimeout), StreamIdleTimeout);
        RequirePositive(problems, nameof(ModelsCacheDuration), ModelsCacheDuration, allowZero: true);
        RequirePositive(problems, nameof(MaxRetryAfter), MaxRetryAfter, allowZero: true);
        RequirePositive(problems, nameof(RetryBaseDelay), RetryBaseDelay, allowZero: true);
        RequirePositive(problems, nameof(MaxRetryDelay), MaxRetryDelay);
        if (MaxRetries is < 0 or > 10)
        {
            problems.Add($"{SectionName}:{nameof(MaxRetries)} must be between 0 and 10.");
        }

        if (string.IsNullOrWhiteSpace(ApiKeyHeader))
        {
            problems.Add($"{SectionName}:{nameof(ApiKeyHeader)} must name a header.");
        }

        if (MaxTokensParameter is not (Core.Upstream.UpstreamRequestJson.MaxTokensField or Core.Upstream.UpstreamRequestJson.MaxCompletionTokensField))
        {
            problems.Add($"{SectionName}:{nameof(MaxTokensParameter)} must be 'max_tokens' or 'max_completion_tokens'.");
        }

        problems.AddRange(CircuitBreaker.Problems());
        return problems;
    }

    // The resilience timeouts accept 10 ms to one day.
    private static void RequireTimeout(List<string> problems, string name, TimeSpan value)
    {
        if (value < TimeSpan.FromMilliseconds(10) || value > TimeSpan.FromDays(1))
        {
            problems.Add($"{SectionName}:{name} must be between 00:00:00.010 and 1.00:00:00.");
        }
    }

    private static void RequirePositive(List<string> problems, string name, TimeSpan value, bool allowZero = false)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            problems.Add($"{SectionName}:{name} must be {(allowZero ? "zero or more" : "more than zero")}.");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
