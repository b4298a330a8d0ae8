namespace Conversations.Core.Errors;

/// <summary>
/// An error as the client sees it: an HTTP status plus OpenAI's envelope
/// <c>{"error":{"message","type","param","code"}}</c>.
/// </summary>
/// <param name="RetryAfter">Sent as <c>Retry-After</c> when known (rate limits).</param>
/// <param name="RetriedAlready">
/// The service already retried the upstream as far as it will: sent as <c>x-should-retry: false</c>, which
/// the official SDKs obey, so a failing upstream is not hit by the SDK's retries of ours as well.
/// </param>
public sealed record ApiError(
    int Status,
    string Type,
    string? Code,
    string Message,
    string? Param,
    TimeSpan? RetryAfter = null,
    bool RetriedAlready = false);
