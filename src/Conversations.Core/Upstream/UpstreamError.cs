namespace Conversations.Core.Upstream;

/// <summary>Every way a call to the upstream model can fail that the service expects and handles.</summary>
[GenerateSerializer, Immutable]
public abstract record UpstreamError([property: Id(0)] string Message)
{
    /// <summary>The upstream refused the service's provider key (its 401/403).</summary>
    [GenerateSerializer, Immutable]
    public sealed record Unauthorized(string Message) : UpstreamError(Message);

    /// <summary>The upstream's 429, with how long it asked us to wait when it said.</summary>
    [GenerateSerializer, Immutable]
    public sealed record RateLimited(string Message, [property: Id(0)] TimeSpan? RetryAfter) : UpstreamError(Message);

    /// <summary>The upstream's 400 (or 422), carrying its own message and <c>param</c>.</summary>
    [GenerateSerializer, Immutable]
    public sealed record BadRequest(string Message, [property: Id(0)] string? Param, [property: Id(1)] string? Code) : UpstreamError(Message);

    [GenerateSerializer, Immutable]
    public sealed record ModelNotFound(string Message) : UpstreamError(Message);

    /// <summary>Any 5xx (and any status the service has no better name for).</summary>
    [GenerateSerializer, Immutable]
    public sealed record ServerError(string Message, [property: Id(0)] int Status) : UpstreamError(Message);

    [GenerateSerializer, Immutable]
    public sealed record Timeout(string Message) : UpstreamError(Message);

    /// <summary>A body or stream event the service could not read as Chat Completions JSON.</summary>
    [GenerateSerializer, Immutable]
    public sealed record MalformedResponse(string Message) : UpstreamError(Message);

    [GenerateSerializer, Immutable]
    public sealed record ConnectionFailed(string Message) : UpstreamError(Message);

    /// <summary>An <c>error</c> payload inside an otherwise healthy stream, or a stream cut short.</summary>
    [GenerateSerializer, Immutable]
    public sealed record StreamFailed(string Message, [property: Id(0)] string? Code) : UpstreamError(Message);
}
