using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.ApiHost.Tests.Responses;
using Conversations.Core.Upstream;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Context;

/// <summary>
/// <c>POST /v1/responses/input_tokens</c> counts what <c>POST /v1/responses</c> would send for the same body,
/// conversation and chain included, without calling the model; the fake upstream's own count of what it is
/// then sent is the independent check.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class InputTokensTests(UpstreamHostFixture fixture)
{
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _client = fixture.Host.Client();

    [Fact]
    public async Task A_response_on_its_own_is_counted_without_calling_the_model()
    {
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostAsync("/v1/responses/input_tokens", Api.Json("""{"model":"gpt-4o","input":"hello world"}"""));
        var body = await response.ReadJson();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // 3 to prime the reply, and the message: 3 + "user" (1) + "hello world" (2).
        Assert.Equal("""{"object":"response.input_tokens","input_tokens":9}""", body.GetRawText());
        Assert.Equal(before, _upstream.ChatRequests.Count);
    }

    [Fact]
    public async Task Instructions_tools_and_images_count_images_at_their_documented_estimate()
    {
        var text = await Count("""{"model":"gpt-4o","input":[{"role":"user","content":[{"type":"input_text","text":"What is this?"}]}]}""");
        var image = await Count("""{"model":"gpt-4o","input":[{"role":"user","content":[{"type":"input_text","text":"What is this?"},{"type":"input_image","image_url":"https://example.com/cat.png"}]}]}""");
        var lowImage = await Count("""{"model":"gpt-4o","input":[{"role":"user","content":[{"type":"input_text","text":"What is this?"},{"type":"input_image","image_url":"https://example.com/cat.png","detail":"low"}]}]}""");
        var instructed = await Count("""{"model":"gpt-4o","instructions":"Be brief.","input":[{"role":"user","content":[{"type":"input_text","text":"What is this?"}]}]}""");
        var tooled = await Count("""{"model":"gpt-4o","tools":[{"type":"function","name":"get_weather","description":"Gets the weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],"input":[{"role":"user","content":[{"type":"input_text","text":"What is this?"}]}]}""");

        Assert.Equal(PromptTokens.ImageTokens, image - text);
        Assert.Equal(PromptTokens.LowDetailImageTokens, lowImage - text);
        // A system message: 3 + "system" (1) + "Be brief." (3).
        Assert.Equal(7, instructed - text);
        Assert.InRange(tooled - text, 10, 60);
    }

    [Fact]
    public async Task A_conversation_is_counted_with_its_items_as_the_upstream_then_reads_them()
    {
        var marker = Guid.NewGuid().ToString("N");
        var conversation = await _client.CreateConversation($$"""
            {"settings":{"instructions":"Be brief."},"items":[
              {"type":"message","role":"user","content":"My name is Ada {{marker}}."},
              {"type":"message","role":"assistant","content":"Hello Ada."}]}
            """);
        var body = $$"""{"model":"gpt-4o-mini","conversation":"{{conversation}}","input":"What is my name?"}""";

        var counted = await Count(body);
        await _client.CreateResponse(body);

        Assert.Equal(FakeContextWindow.PromptTokens(_upstream.Mentioning(marker).Single().Json), counted);
    }

    [Fact]
    public async Task A_chain_is_counted_with_every_response_it_continues()
    {
        var marker = Guid.NewGuid().ToString("N");
        var first = (await _client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Say first {{marker}}"}""")).GetProperty("id").GetString();
        var body = $$"""{"model":"gpt-4o-mini","previous_response_id":"{{first}}","input":"Say second"}""";

        var counted = await Count(body);
        await _client.CreateResponse(body);

        Assert.Equal(FakeContextWindow.PromptTokens(_upstream.Mentioning(marker)[^1].Json), counted);
        Assert.True(counted > await Count("""{"model":"gpt-4o-mini","input":"Say second"}"""));
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o","input":"x","conversation":"conv_00000000000000000000000000000000"}""", HttpStatusCode.NotFound, "not_found")]
    [InlineData("""{"model":"gpt-4o","input":"x","previous_response_id":"resp_00000000000000000000000000000000"}""", HttpStatusCode.BadRequest, "previous_response_not_found")]
    [InlineData("""{"model":"gpt-4o","input":"x","temperature":5}""", HttpStatusCode.BadRequest, "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","truncation":"sometimes"}""", HttpStatusCode.BadRequest, "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","conversation":"conv_00000000000000000000000000000000","previous_response_id":"resp_00000000000000000000000000000000"}""", HttpStatusCode.BadRequest, "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","bogus":1}""", HttpStatusCode.BadRequest, "unknown_parameter")]
    [InlineData("""not json""", HttpStatusCode.BadRequest, "invalid_json")]
    public async Task A_body_is_refused_as_post_v1_responses_refuses_it(string body, HttpStatusCode status, string code)
    {
        using var counted = await _client.PostAsync("/v1/responses/input_tokens", Api.Json(body));
        using var created = await _client.PostAsync("/v1/responses", Api.Json(body));

        var error = await counted.AssertError(status, code);
        var same = await created.AssertError(status, code);
        Assert.Equal(same.GetRawText(), error.GetRawText());
    }

    private async Task<long> Count(string body)
    {
        using var response = await _client.PostAsync("/v1/responses/input_tokens", Api.Json(body));
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"input_tokens answered {(int)response.StatusCode}: {json}");
        Assert.Equal("response.input_tokens", json.GetProperty("object").GetString());
        return json.GetProperty("input_tokens").GetInt64();
    }
}
