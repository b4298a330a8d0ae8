using Conversations.Core.Errors;
using Conversations.Core.Requests;
using Conversations.Core.Wire;
using static Conversations.Core.Tests.Wire.WireShape;

namespace Conversations.Core.Tests.Wire;

public class ErrorWireTests
{
    [Fact]
    public void An_error_is_wrapped_in_openais_envelope_with_all_four_keys()
    {
        var json = Of(WireObjects.Error(ApiErrors.From(new ValidationError("'settings.temperature' must be between 0 and 2, but got 2.5.", "settings.temperature", "invalid_value"))));

        Assert.Equal(["error"], Keys(json));
        var error = json.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], Keys(error));
        Assert.Equal("'settings.temperature' must be between 0 and 2, but got 2.5.", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("settings.temperature", error.GetProperty("param").GetString());
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
    }

    [Fact]
    public void An_error_without_a_param_writes_param_as_null()
    {
        var error = Of(WireObjects.Error(ApiErrors.ConversationNotFound("conv_1"))).GetProperty("error");

        IsNull(error, "param");
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Equal("not_found_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public void An_error_without_a_code_writes_code_as_null()
    {
        var error = Of(WireObjects.Error(new ApiError(500, "server_error", null, "Something failed.", null))).GetProperty("error");

        Assert.Equal(["message", "type", "param", "code"], Keys(error));
        IsNull(error, "param");
        IsNull(error, "code");
    }

    [Fact]
    public void Status_and_retry_after_stay_out_of_the_body()
    {
        var error = Of(WireObjects.Error(new ApiError(429, "rate_limit_error", "rate_limit_exceeded", "Slow down.", null, TimeSpan.FromSeconds(3)))).GetProperty("error");

        Assert.Equal(["message", "type", "param", "code"], Keys(error));
    }
}
