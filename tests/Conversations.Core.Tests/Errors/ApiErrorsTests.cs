using Conversations.Core.Errors;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Errors;

public class ApiErrorsTests
{
    private const string ConversationId = "conv_0123abcd";

    /// <summary>A message never carries a stack trace or a record dump, only words meant for the caller.</summary>
    private static void AssertReadable(ApiError error)
    {
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.DoesNotContain("   at ", error.Message);
        Assert.DoesNotContain("Exception", error.Message);
        Assert.DoesNotContain("{ Message =", error.Message);
        Assert.DoesNotContain("UpstreamError", error.Message);
        Assert.DoesNotContain("ConversationError", error.Message);
    }

    [Fact]
    public void A_validation_error_is_a_400_invalid_request_naming_the_field()
    {
        var error = ApiErrors.From(new ValidationError("'settings.temperature' must be between 0 and 2, but got 2.5.", "settings.temperature", "invalid_value"));

        Assert.Equal(
            new ApiError(400, "invalid_request_error", "invalid_value", "'settings.temperature' must be between 0 and 2, but got 2.5.", "settings.temperature"),
            error);
    }

    [Fact]
    public void A_validation_error_about_the_whole_request_has_a_null_param()
    {
        var error = ApiErrors.From(new ValidationError("Not JSON.", "", "invalid_json"));

        Assert.Equal((400, "invalid_json", (string?)null), (error.Status, error.Code, error.Param));
    }

    [Fact]
    public void A_missing_conversation_is_a_404_not_found_naming_it()
    {
        var error = ApiErrors.From(ConversationError.NotFoundError, ConversationId);

        Assert.Equal((404, "not_found_error", "not_found", (string?)null), (error.Status, error.Type, error.Code, error.Param));
        Assert.Contains(ConversationId, error.Message);
        Assert.Equal(ApiErrors.ConversationNotFound(ConversationId), error);
        AssertReadable(error);
    }

    [Fact]
    public void A_busy_conversation_is_a_409_conversation_busy()
    {
        var error = ApiErrors.From(ConversationError.BusyError, ConversationId);

        Assert.Equal((409, "invalid_request_error", "conversation_busy"), (error.Status, error.Type, error.Code));
        Assert.Contains(ConversationId, error.Message);
        AssertReadable(error);
    }

    [Fact]
    public void A_conflicting_write_is_a_409_that_says_nothing_was_saved()
    {
        var error = ApiErrors.From(new ConversationError.Conflict(), ConversationId);

        Assert.Equal((409, "invalid_request_error", "conversation_moved"), (error.Status, error.Type, error.Code));
        Assert.Contains("Nothing was saved", error.Message);
        AssertReadable(error);
    }

    [Fact]
    public void An_invalid_conversation_request_maps_as_its_validation_error()
    {
        var validation = new ValidationError("No item 'msg_9' in this conversation.", "after", "invalid_value");

        Assert.Equal(ApiErrors.From(validation), ApiErrors.From(new ConversationError.Invalid(validation), ConversationId));
    }

    [Fact]
    public void An_upstream_failure_of_a_conversation_maps_as_the_upstream_error()
    {
        var upstream = new UpstreamError.Timeout("no answer in 100 s");

        Assert.Equal(ApiErrors.From(upstream), ApiErrors.From(new ConversationError.Upstream(upstream), ConversationId));
    }

    public static TheoryData<UpstreamError, int, string, string> UpstreamCases => new()
    {
        { new UpstreamError.Unauthorized("Incorrect API key provided: sk-pr***"), 502, "server_error", "upstream_unauthorized" },
        { new UpstreamError.RateLimited("Rate limit reached for requests", TimeSpan.FromSeconds(7)), 429, "rate_limit_error", "rate_limit_exceeded" },
        { new UpstreamError.BadRequest("This model's maximum context length is 8192 tokens.", "messages", "context_length_exceeded"), 400, "invalid_request_error", "context_length_exceeded" },
        { new UpstreamError.BadRequest("Invalid request.", null, null), 400, "invalid_request_error", "upstream_bad_request" },
        { new UpstreamError.ModelNotFound("The model 'gpt-9' does not exist."), 404, "invalid_request_error", "model_not_found" },
        { new UpstreamError.ServerError("The server had an error while processing your request.", 500), 500, "server_error", "upstream_error" },
        { new UpstreamError.ServerError("Bad gateway", 502), 502, "server_error", "upstream_error" },
        { new UpstreamError.ServerError("Service Unavailable", 503), 503, "server_error", "upstream_error" },
        { new UpstreamError.Timeout("no response within 100 s"), 504, "server_error", "upstream_timeout" },
        { new UpstreamError.MalformedResponse("'choices' missing"), 502, "server_error", "upstream_malformed_response" },
        { new UpstreamError.ConnectionFailed("Connection refused (localhost:11434)"), 502, "server_error", "upstream_unreachable" },
        { new UpstreamError.StreamFailed("stream ended without [DONE]", null), 502, "server_error", "upstream_stream_error" },
        { new UpstreamError.StreamFailed("The server had an error", "server_error"), 502, "server_error", "server_error" },
    };

    [Theory]
    [MemberData(nameof(UpstreamCases))]
    public void Each_upstream_failure_maps_to_its_status_type_and_code(UpstreamError upstream, int status, string type, string code)
    {
        var error = ApiErrors.From(upstream);

        Assert.Equal((status, type, code), (error.Status, error.Type, error.Code));
        Assert.Contains(upstream.Message, error.Message);
        AssertReadable(error);
    }

    [Fact]
    public void Every_kind_of_upstream_failure_is_mapped_above()
    {
        // A kind with no mapping would throw at the edge and reach the client as a 500.
        var kinds = typeof(UpstreamError).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(UpstreamError))).Select(t => t.Name).Order();
        var mapped = UpstreamCases.Select(row => row[0].GetType().Name).Distinct().Order();

        Assert.Equal(kinds, mapped);
    }

    public static readonly ConversationError[] EveryConversationError =
    [
        ConversationError.NotFoundError,
        ConversationError.BusyError,
        new ConversationError.Conflict(),
        new ConversationError.Invalid(new ValidationError("bad", "content", "invalid_value")),
        new ConversationError.Upstream(new UpstreamError.Timeout("slow")),
        new ConversationError.KeyRefused(new Core.Idempotency.KeyRefusal.Reused()),
        new ConversationError.ItemNotFound("msg_1"),
        new ConversationError.ResponseNotFound("resp_1"),
        new ConversationError.PreviousResponseNotFound("resp_2"),
        new ConversationError.ShuttingDown(),
        new ConversationError.ContextLengthExceeded(130_000, 123_904, 128_000, Truncated: false),
        new ConversationError.LimitReached(ApiErrors.BackgroundLimit, 5),
    ];

    [Theory]
    [InlineData(0, 422, "idempotency_key_reused")]
    [InlineData(1, 409, "idempotency_key_in_use")]
    [InlineData(2, 503, "server_shutting_down")]
    public void Idempotency_and_shutdown_failures_have_their_own_status_and_code(int which, int status, string code)
    {
        ConversationError[] failures = [new ConversationError.KeyRefused(new Core.Idempotency.KeyRefusal.Reused()), new ConversationError.KeyRefused(new Core.Idempotency.KeyRefusal.InUse()), new ConversationError.ShuttingDown()];
        var error = ApiErrors.From(failures[which], ConversationId);

        Assert.Equal((status, code), (error.Status, error.Code));
    }

    [Fact]
    public void Every_kind_of_conversation_failure_maps_to_a_client_error_or_gateway_status()
    {
        var kinds = typeof(ConversationError).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(ConversationError))).Select(t => t.Name).Order();
        Assert.Equal(kinds, EveryConversationError.Select(e => e.GetType().Name).Order());

        foreach (var failure in EveryConversationError)
        {
            var error = ApiErrors.From(failure, ConversationId);
            Assert.True(error.Status is >= 400 and < 600 and not 500, $"{failure} mapped to {error.Status}");
            AssertReadable(error);
        }
    }

    [Fact]
    public void An_upstream_401_is_a_gateway_fault_not_the_callers_bad_key()
    {
        var error = ApiErrors.From(new UpstreamError.Unauthorized("invalid_api_key"));

        Assert.NotEqual(401, error.Status);
        Assert.NotEqual(403, error.Status);
        Assert.Equal(502, error.Status);
        Assert.NotEqual("invalid_api_key", error.Code);
    }

    [Fact]
    public void An_upstream_rate_limit_keeps_how_long_to_wait()
    {
        var error = ApiErrors.From(new UpstreamError.RateLimited("slow down", TimeSpan.FromMilliseconds(1500)));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), error.RetryAfter);
    }

    [Fact]
    public void An_upstream_rate_limit_without_a_wait_has_none()
    {
        Assert.Null(ApiErrors.From(new UpstreamError.RateLimited("slow down", null)).RetryAfter);
    }

    [Fact]
    public void Only_rate_limits_carry_a_wait()
    {
        foreach (var row in UpstreamCases)
        {
            var upstream = (UpstreamError)row[0];
            var error = ApiErrors.From(upstream);
            Assert.Equal(upstream is UpstreamError.RateLimited, error.RetryAfter is not null);
        }
    }

    [Fact]
    public void An_upstream_bad_request_keeps_the_upstream_message_and_param()
    {
        var error = ApiErrors.From(new UpstreamError.BadRequest("'max_tokens' is too large: 99999.", "max_tokens", "invalid_value"));

        Assert.Equal(new ApiError(400, "invalid_request_error", "invalid_value", "'max_tokens' is too large: 99999.", "max_tokens"), error);
    }

    [Fact]
    public void An_unknown_model_names_the_model_param()
    {
        Assert.Equal("model", ApiErrors.From(new UpstreamError.ModelNotFound("no such model")).Param);
    }

    [Fact]
    public void A_malformed_id_is_a_400_naming_the_param_and_the_id()
    {
        var error = ApiErrors.MalformedId("conversation_id", "../etc");

        Assert.Equal((400, "invalid_request_error", "invalid_id", "conversation_id"), (error.Status, error.Type, error.Code, error.Param));
        Assert.Equal("'../etc' is not a valid conversation id.", error.Message);
    }

    [Fact]
    public void Key_problems_are_401s_that_do_not_tell_which_keys_exist()
    {
        var missing = ApiErrors.MissingKey();
        var scheme = ApiErrors.WrongScheme();
        var invalid = ApiErrors.InvalidKey();

        Assert.Equal((401, "missing_api_key"), (missing.Status, missing.Code));
        Assert.Equal((401, "invalid_authorization_header"), (scheme.Status, scheme.Code));
        Assert.Equal((401, "invalid_api_key"), (invalid.Status, invalid.Code));
        Assert.Equal("Incorrect API key provided.", invalid.Message);
    }

    [Fact]
    public void The_admin_route_refuses_other_keys_with_a_403_permission_error()
    {
        var error = ApiErrors.AdminOnly();

        Assert.Equal((403, "permission_error"), (error.Status, error.Type));
    }

    [Fact]
    public void An_internal_failure_is_a_500_that_quotes_only_the_request_id()
    {
        var error = ApiErrors.Internal("req_42");

        Assert.Equal((500, "server_error", "internal_error"), (error.Status, error.Type, error.Code));
        Assert.Equal("The service failed while handling this request. Quote request id req_42 when reporting it.", error.Message);
    }

    [Theory]
    [InlineData(null, "Send the body as JSON with 'Content-Type: application/json'.")]
    [InlineData("", "Send the body as JSON with 'Content-Type: application/json'.")]
    [InlineData("text/plain", "Send the body as JSON with 'Content-Type: application/json', not 'text/plain'.")]
    public void An_unsupported_media_type_is_a_415_that_says_what_to_send(string? contentType, string message)
    {
        Assert.Equal(new ApiError(415, "invalid_request_error", "unsupported_media_type", message, null), ApiErrors.UnsupportedMediaType(contentType));
    }

    [Fact]
    public void Route_body_and_availability_errors_have_their_statuses()
    {
        Assert.Equal((404, "unknown_url"), (ApiErrors.RouteNotFound("GET", "/v1/nope").Status, ApiErrors.RouteNotFound("GET", "/v1/nope").Code));
        Assert.Equal((405, "method_not_allowed"), (ApiErrors.MethodNotAllowed("PUT", "/v1/conversations").Status, ApiErrors.MethodNotAllowed("PUT", "/v1/conversations").Code));
        Assert.Equal((413, "request_too_large"), (ApiErrors.BodyTooLarge(1024).Status, ApiErrors.BodyTooLarge(1024).Code));
        Assert.Contains("1024", ApiErrors.BodyTooLarge(1024).Message);
        Assert.Equal((503, "service_unavailable", "draining"), (ApiErrors.Unavailable("draining").Status, ApiErrors.Unavailable("draining").Code, ApiErrors.Unavailable("draining").Message));
    }

    [Theory]
    [InlineData(false, "The input has 130000 tokens, but only 123904 fit: the model's context window is 128000 tokens, less what is kept for the answer. Shorten the input, or send \"truncation\": \"auto\" to leave out the oldest items.")]
    [InlineData(true, "The input has 130000 tokens even with the oldest items left out, but only 123904 fit: the model's context window is 128000 tokens, less what is kept for the answer. Shorten the newest input or the instructions, or lower max_output_tokens.")]
    public void An_input_too_long_for_the_window_is_openais_400_on_input_saying_how_many_tokens_it_has_and_how_many_fit(bool truncated, string message)
    {
        var error = ApiErrors.From(new ConversationError.ContextLengthExceeded(130_000, 123_904, 128_000, truncated), ConversationId);

        Assert.Equal((400, ApiErrors.InvalidRequest, "context_length_exceeded", "input", message), (error.Status, error.Type, error.Code, error.Param, error.Message));
    }
}
