using System.Text;
using System.Text.Json;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

public sealed class UpstreamErrorsTests
{
    private static UpstreamError FromHttp(int status, string body, TimeSpan? retryAfter = null) =>
        UpstreamErrors.FromHttp(status, Encoding.UTF8.GetBytes(body), retryAfter);

    private static string Envelope(string message, string type, string? param, string? code) =>
        JsonSerializer.Serialize(new { error = new { message, type, param, code } });

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public void A_refused_key_is_unauthorized_and_the_upstreams_words_quoting_the_key_are_not_repeated(int status)
    {
        var error = FromHttp(status, Envelope("Incorrect API key provided: sk-proj-ab***********************yz12. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", null, "invalid_api_key"));

        var unauthorized = Assert.IsType<UpstreamError.Unauthorized>(error);
        Assert.DoesNotContain("sk-", unauthorized.Message);
        Assert.Contains("invalid_api_key", unauthorized.Message);
        Assert.Contains($"HTTP {status}", unauthorized.Message);
    }

    [Fact]
    public void A_rate_limit_keeps_the_upstreams_message_and_the_wait_it_asked_for()
    {
        var error = FromHttp(429, Envelope("Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.", "requests", null, "rate_limit_exceeded"), TimeSpan.FromSeconds(20));

        Assert.Equal(
            new UpstreamError.RateLimited("Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.", TimeSpan.FromSeconds(20)),
            error);
    }

    [Fact]
    public void A_bad_request_carries_the_upstreams_message_param_and_code()
    {
        var error = FromHttp(400, Envelope("Invalid value for 'temperature': must be between 0 and 2.", "invalid_request_error", "temperature", "invalid_value"));

        Assert.Equal(new UpstreamError.BadRequest("Invalid value for 'temperature': must be between 0 and 2.", "temperature", "invalid_value"), error);
    }

    [Fact]
    public void A_422_is_a_bad_request_too()
    {
        Assert.IsType<UpstreamError.BadRequest>(FromHttp(422, """{"detail":"messages: field required"}"""));
        Assert.Equal("messages: field required", FromHttp(422, """{"detail":"messages: field required"}""").Message);
    }

    [Fact]
    public void An_unknown_model_is_model_not_found_whether_sent_as_404_or_as_a_400_code()
    {
        var as404 = FromHttp(404, Envelope("The model `gpt-9` does not exist or you do not have access to it.", "invalid_request_error", null, "model_not_found"));
        var as400 = FromHttp(400, Envelope("model 'llama9' not found", "invalid_request_error", "model", "model_not_found"));

        Assert.Equal(new UpstreamError.ModelNotFound("The model `gpt-9` does not exist or you do not have access to it."), as404);
        Assert.Equal(new UpstreamError.ModelNotFound("model 'llama9' not found"), as400);
    }

    [Fact]
    public void A_bare_404_also_points_at_the_base_url()
    {
        var error = FromHttp(404, "<html><head><title>404 Not Found</title></head></html>");

        var notFound = Assert.IsType<UpstreamError.ModelNotFound>(error);
        Assert.Contains("OPENAI_BASE_URL", notFound.Message);
        Assert.Contains("\"404 Not Found\"", notFound.Message);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(504)]
    public void Upstream_timeouts_are_timeouts(int status)
    {
        Assert.IsType<UpstreamError.Timeout>(FromHttp(status, ""));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(409)]
    [InlineData(418)]
    [InlineData(302)]
    public void Other_statuses_are_server_errors_with_the_status(int status)
    {
        var error = Assert.IsType<UpstreamError.ServerError>(FromHttp(status, ""));

        Assert.Equal(status, error.Status);
        Assert.Contains($"HTTP {status}", error.Message);
    }

    [Fact]
    public void An_html_error_page_is_described_by_its_title()
    {
        const string page = "<html>\n<head><title>502 Bad\n  Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

        var error = FromHttp(502, page);

        Assert.Equal(new UpstreamError.ServerError("The upstream failed with HTTP 502. Its answer was an HTML page titled \"502 Bad Gateway\".", 502), error);
    }

    [Fact]
    public void A_plain_text_body_is_quoted_briefly()
    {
        var error = FromHttp(503, "upstream connect error or disconnect/reset before headers\nsecond line " + new string('x', 1000));

        Assert.Equal("The upstream failed with HTTP 503. It said: \"upstream connect error or disconnect/reset before headers\".", error.Message);
    }

    [Fact]
    public void An_empty_body_says_so()
    {
        Assert.Equal("The upstream failed with HTTP 500. Its answer had no body.", FromHttp(500, "").Message);
    }

    [Fact]
    public void Vllm_style_top_level_errors_with_numeric_codes_are_read()
    {
        var error = FromHttp(400, """{"object":"error","message":"This model's maximum context length is 4096 tokens.","type":"BadRequestError","param":null,"code":400}""");

        Assert.Equal(new UpstreamError.BadRequest("This model's maximum context length is 4096 tokens.", null, "400"), error);
    }

    [Fact]
    public void A_string_error_member_is_the_message()
    {
        Assert.Equal("model is loading", FromHttp(503, """{"error":"model is loading"}""").Message);
    }

    [Fact]
    public void Json_without_a_message_falls_back_to_the_status()
    {
        Assert.Equal("The upstream failed with HTTP 500. Its answer was JSON without an error message.", FromHttp(500, """{"ok":false}""").Message);
    }

    [Fact]
    public void A_long_html_title_is_shortened()
    {
        var error = FromHttp(500, $"<title>{new string('t', 1000)}</title>");

        Assert.True(error.Message.Length < 400);
    }
}
