using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Fuzzing;

/// <summary>
/// What the route fuzz suite found, each as the smallest request that showed it. Two requests never reach
/// the service: a NUL in the path and a request line over 8 KB, which Kestrel refuses as requests it cannot
/// take, with a bare 400 or 414 that closes the connection (the SDKs read them as any 400). Every other
/// malformed request gets the service's own 4xx in OpenAI's envelope.
/// </summary>
public sealed class FuzzFindingsTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    [Fact]
    public async Task A_NUL_in_the_path_is_refused_by_Kestrel_with_a_bare_400_that_closes_the_connection()
    {
        using var response = await fixture.Host.Client().GetAsync("/v1/models/%00");

        Assert.True(RouteFuzzTests.RefusedByKestrel(response, await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_request_line_over_8_KB_is_refused_by_Kestrel_with_a_bare_414_that_closes_the_connection()
    {
        using var response = await fixture.Host.Client().GetAsync("/v1/conversations?after=" + new string('a', 9000));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.True(RouteFuzzTests.RefusedByKestrel(response, await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Regression: an invalid UTF-8 sequence in the model of a stateless call threw while the body was inspected, and answered 500.</summary>
    [Fact]
    public async Task A_chat_completion_whose_model_is_not_UTF8_is_refused_as_invalid_JSON()
    {
        using var content = new ByteArrayContent([.. "{\"model\":\""u8, 0xE2, 0x82, .. "\",\"messages\":[]}"u8]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await fixture.Host.Client().PostAsync("/v1/chat/completions", content);

        await response.AssertError(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Theory]
    [InlineData("/v1/models/%ED%A0%80")]
    [InlineData("/v1/conversations/%FF")]
    [InlineData("/v1/conversations/conv_%C3%A9/items")]
    public async Task Other_bytes_that_are_not_text_in_the_path_get_an_error_in_the_envelope(string path)
    {
        using var response = await fixture.Host.Client().GetAsync(path);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.ReadJson()).TryGetProperty("error", out _));
    }
}
