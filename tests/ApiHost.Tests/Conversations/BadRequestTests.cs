using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Conversations;

/// <summary>Every bad request gets a clear answer in OpenAI's error envelope, never a stack trace.</summary>
public sealed class BadRequestTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private readonly HttpClient _client = fixture.Host.Client();

    [Theory]
    [InlineData("{\"content\": \"unterminated")]
    [InlineData("not json at all")]
    [InlineData("{\"content\":\"a\"} trailing")]
    public async Task Bad_json_is_a_400_invalid_json(string body)
    {
        var id = await _client.CreateConversation();

        await (await _client.PostAsync($"/v1/conversations/{id}/messages", Api.Json(body))).AssertError(HttpStatusCode.BadRequest, "invalid_json");
        await (await _client.PostAsync("/v1/conversations", Api.Json(body))).AssertError(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task A_bad_field_is_a_400_naming_it_as_param()
    {
        var id = await _client.CreateConversation();

        var error = await (await _client.PostAsync($"/v1/conversations/{id}/messages", Api.Json("""{"content":"hi","temperature":3}"""))).AssertError(HttpStatusCode.BadRequest, "invalid_value");
        Assert.Equal("temperature", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());

        error = await (await _client.PostAsync("/v1/conversations", Api.Json("""{"settings":{"modle":"x"}}"""))).AssertError(HttpStatusCode.BadRequest, "unknown_parameter");
        Assert.Equal("settings.modle", error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("conv_")]
    [InlineData("conv_has-dash")]
    [InlineData("msg_0123")]
    [InlineData("CONV_abc")]
    public async Task A_malformed_conversation_id_is_a_400(string id)
    {
        await (await _client.GetAsync($"/v1/conversations/{id}")).AssertError(HttpStatusCode.BadRequest, "invalid_id");
        await (await _client.SendMessage(id, "hi")).AssertError(HttpStatusCode.BadRequest, "invalid_id");
    }

    [Fact]
    public async Task An_id_that_never_existed_is_a_404_not_found()
    {
        await (await _client.GetAsync("/v1/conversations/conv_0123456789abcdef")).AssertError(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_missing_key_wrong_scheme_or_garbage_key_is_a_401()
    {
        using var anonymous = fixture.Host.Client(key: null);
        await (await anonymous.GetAsync("/v1/conversations")).AssertError(HttpStatusCode.Unauthorized, "missing_api_key");

        var basic = new HttpRequestMessage(HttpMethod.Get, "/v1/conversations");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        await (await anonymous.SendAsync(basic)).AssertError(HttpStatusCode.Unauthorized, "invalid_authorization_header");

        using var garbage = fixture.Host.Client("sk-conv-0000000000000000000000000000000000000000deadbeef");
        await (await garbage.GetAsync("/v1/conversations")).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task An_oversized_body_is_a_413()
    {
        var limit = new ApiHostOptions().MaxRequestBodyBytes;
        var content = new string('x', (int)limit + 10);

        // Like curl with a large body, ask before sending it: the refusal then arrives before the upload.
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/conversations") { Content = Api.Json("{\"metadata\":{\"a\":\"" + content + "\"}}") };
        request.Headers.ExpectContinue = true;

        // Wait for the answer to the Expect header however busy the machine is (HttpClient's default is 1 s).
        using var patient = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = fixture.Host.Address };
        patient.DefaultRequestHeaders.Authorization = _client.DefaultRequestHeaders.Authorization;

        await (await patient.SendAsync(request)).AssertError(HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Fact]
    public async Task An_unknown_route_or_method_answers_in_the_envelope()
    {
        await (await _client.GetAsync("/v1/nothing-here")).AssertError(HttpStatusCode.NotFound, "unknown_url");
        await (await _client.PutAsync("/v1/conversations", Api.Json("{}"))).AssertError(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }
}
