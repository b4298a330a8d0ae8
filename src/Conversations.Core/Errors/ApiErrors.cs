using Conversations.Core.Idempotency;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;

namespace Conversations.Core.Errors;

/// <summary>
/// Maps every expected failure to the status and envelope a client of the OpenAI API would expect,
/// so the official SDKs raise their usual typed errors.
/// </summary>
public static class ApiErrors
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string NotFoundType = "not_found_error";
    public const string RateLimit = "rate_limit_error";
    public const string Server = "server_error";

    public static ApiError From(ValidationError error) =>
        new(400, InvalidRequest, error.Code, error.Message, error.Param.Length == 0 ? null : error.Param);

    public static ApiError From(ConversationError error, string conversationId) => error switch
    {
        ConversationError.NotFound => ConversationNotFound(conversationId),
        ConversationError.Busy => new(409, InvalidRequest, "conversation_busy",
            $"Conversation '{conversationId}' is already running a turn. Wait for it to finish, then send again.", null),
        ConversationError.Conflict => new(409, InvalidRequest, "conversation_moved",
            $"Conversation '{conversationId}' was changed by another server while this request ran. Nothing was saved; send the request again.", null),
        ConversationError.ShuttingDown => ShuttingDown(),
        ConversationError.KeyRefused refused => From(refused.Refusal),
        ConversationError.ItemNotFound item => new(404, NotFoundType, "not_found", $"No item found with id '{item.ItemId}' in conversation '{conversationId}'.", null),
        ConversationError.ResponseNotFound response => ResponseNotFound(response.ResponseId),
        ConversationError.PreviousResponseNotFound previous => new(400, InvalidRequest, "previous_response_not_found",
            $"Previous response with id '{previous.ResponseId}' not found.", "previous_response_id"),
        ConversationError.Invalid invalid => From(invalid.Error),
        ConversationError.Upstream upstream => From(upstream.Error),
        ConversationError.ContextLengthExceeded exceeded => ContextLengthExceeded(exceeded),
        ConversationError.LimitReached reached => LimitReached(reached),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "Unknown conversation error."),
    };

    /// <summary>An idempotency key's refusal, on every route that honours the key.</summary>
    public static ApiError From(KeyRefusal refusal) => refusal switch
    {
        KeyRefusal.Reused => IdempotencyKeyReused(),
        KeyRefusal.InUse => IdempotencyKeyInUse(),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Unknown idempotency key refusal."),
    };

    /// <summary>
    /// Upstream failures, after the service's own retries. A 5xx keeps the upstream's status. The
    /// provider key is the service's, not the caller's, so an upstream 401 is a gateway fault (502),
    /// never a 401 that would make the caller doubt their own key.
    /// </summary>
    public static ApiError From(UpstreamError error) => error switch
    {
        UpstreamError.Unauthorized e => new(502, Server, "upstream_unauthorized",
            $"The model provider rejected this service's credentials: {e.Message}", null),
        UpstreamError.RateLimited e => new(429, RateLimit, "rate_limit_exceeded",
            $"The model provider is rate limiting this service: {e.Message}", null, e.RetryAfter),
        UpstreamError.BadRequest e => new(400, InvalidRequest, e.Code ?? "upstream_bad_request", e.Message, e.Param),
        UpstreamError.ModelNotFound e => new(404, InvalidRequest, "model_not_found", e.Message, "model"),
        UpstreamError.ServerError e => new(e.Status is >= 500 and <= 599 ? e.Status : 502, Server, "upstream_error",
            $"The model provider failed (HTTP {e.Status}): {e.Message}", null, RetriedAlready: true),
        UpstreamError.Timeout e => new(504, Server, "upstream_timeout",
            $"The model provider did not answer in time: {e.Message}", null, RetriedAlready: true),
        UpstreamError.MalformedResponse e => new(502, Server, "upstream_malformed_response",
            $"The model provider sent a response this service could not read: {e.Message}", null),
        UpstreamError.ConnectionFailed e => new(502, Server, "upstream_unreachable",
            $"Could not reach the model provider: {e.Message}", null, RetriedAlready: true),
        UpstreamError.StreamFailed e => new(502, Server, e.Code ?? "upstream_stream_error",
            $"The model provider's stream failed: {e.Message}", null),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "Unknown upstream error."),
    };

    /// <summary>OpenAI's refusal of an input longer than the model's window: 400 <c>context_length_exceeded</c> on <c>input</c>.</summary>
    public static ApiError ContextLengthExceeded(ConversationError.ContextLengthExceeded exceeded) =>
        new(400, InvalidRequest, "context_length_exceeded",
            exceeded.Truncated
                ? $"The input has {exceeded.Tokens} tokens even with the oldest items left out, but only {exceeded.Fits} fit: the model's context window is {exceeded.Window} tokens, less what is kept for the answer. Shorten the newest input or the instructions, or lower max_output_tokens."
                : $"The input has {exceeded.Tokens} tokens, but only {exceeded.Fits} fit: the model's context window is {exceeded.Window} tokens, less what is kept for the answer. Shorten the input, or send \"truncation\": \"auto\" to leave out the oldest items.",
            "input");

    /// <summary>A 429 for a limit on running things; a place frees as soon as one ends, so a second is the wait.</summary>
    public static ApiError LimitReached(ConversationError.LimitReached reached) =>
        new(429, reached.Limit, "rate_limit_exceeded", reached.Limit == BackgroundLimit
            ? $"Rate limit reached for background responses: at most {reached.Allowed} running at once. Wait for one to finish, or cancel one."
            : $"Rate limit reached for concurrent streams: at most {reached.Allowed} at once. Wait for one to finish.",
            null, TimeSpan.FromSeconds(1));

    /// <summary>The limit on a user's responses running in the background at once.</summary>
    public const string BackgroundLimit = "background_responses";

    public static ApiError ShuttingDown() =>
        new(503, Server, "server_shutting_down",
            "The server holding this conversation is restarting. Anything already streamed was kept; send the request again.", null);

    public static ApiError IdempotencyKeyReused() =>
        new(422, InvalidRequest, "idempotency_key_reused",
            "This Idempotency-Key was already used with a different request. Use a new key for a new request.", "Idempotency-Key");

    public static ApiError IdempotencyKeyInUse() =>
        new(409, InvalidRequest, "idempotency_key_in_use",
            "A request with this Idempotency-Key is still running. Retry once it has finished to get its result.", "Idempotency-Key");

    public static ApiError ResponseNotFound(string responseId) =>
        new(404, NotFoundType, "not_found", $"No response found with id '{responseId}'.", null);

    public static ApiError ConversationNotFound(string conversationId) =>
        new(404, NotFoundType, "not_found", $"No conversation found with id '{conversationId}'.", null);

    public static ApiError MalformedId(string param, string id) =>
        new(400, InvalidRequest, "invalid_id", $"'{id}' is not a valid {param.Replace('_', ' ')}.", param);

    public static ApiError RouteNotFound(string method, string path) =>
        new(404, InvalidRequest, "unknown_url", $"Unrecognized request URL ({method} {path}).", null);

    public static ApiError MethodNotAllowed(string method, string path) =>
        new(405, InvalidRequest, "method_not_allowed", $"Method {method} is not allowed on {path}.", null);

    public static ApiError MissingKey() =>
        new(401, InvalidRequest, "missing_api_key",
            "You didn't provide an API key. Send it in the Authorization header as 'Authorization: Bearer YOUR_KEY'.", null);

    public static ApiError WrongScheme() =>
        new(401, InvalidRequest, "invalid_authorization_header",
            "The Authorization header must use the Bearer scheme: 'Authorization: Bearer YOUR_KEY'.", null);

    /// <summary>Bad, unknown and revoked keys all read the same, so a caller learns nothing about which keys exist.</summary>
    public static ApiError InvalidKey() =>
        new(401, InvalidRequest, "invalid_api_key", "Incorrect API key provided.", null);

    /// <summary>An address that sent too many failed keys; what it sends is refused until the window ends, so it learns nothing.</summary>
    public static ApiError TooManyFailedKeys(TimeSpan retryAfter) =>
        new(429, RateLimit, "rate_limit_exceeded",
            $"Too many requests with an incorrect API key came from your address. Try again in {Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds))}s.", null, retryAfter);

    public static ApiError AdminOnly() =>
        new(403, Permission, "insufficient_permissions", "This route needs the admin key.", null);

    public static ApiError BodyTooLarge(long limitBytes) =>
        new(413, InvalidRequest, "request_too_large", $"The request body is larger than the {limitBytes} bytes this service accepts.", null);

    public static ApiError UnsupportedMediaType(string? contentType) =>
        new(415, InvalidRequest, "unsupported_media_type",
            $"Send the body as JSON with 'Content-Type: application/json'{(string.IsNullOrEmpty(contentType) ? "" : $", not '{contentType}'")}.", null);

    public static ApiError Internal(string requestId) =>
        new(500, Server, "internal_error", $"The service failed while handling this request. Quote request id {requestId} when reporting it.", null);

    public static ApiError Unavailable(string reason) =>
        new(503, Server, "service_unavailable", reason, null);
}
