namespace Conversations.Core.Errors;

/// <summary>
/// An error as the client sees it: an HTTP status plus OpenAI's envelope
/// <c>{"error":{"message","type","param","code"}}</c>.
/// </summary>
/// <param name="RetryAfter">Sent as <c>Retry-After</c> when known (rate limits).</param>
public sealed record ApiError(
    int Status,
    string Type,
    string? Code,
    string Message,
    string? Param,
    TimeSpan? RetryAfter = null);
