using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// Structured output as the SDK asks for it (<c>text.format</c>): the upstream is asked for the same
/// format as Chat Completions' <c>response_format</c>, the JSON it answers comes back as the output
/// text, and the response echoes the format.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class StructuredOutputTests(UpstreamHostFixture fixture) : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private const string Schema = """{"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":"number"}},"required":["city","celsius"],"additionalProperties":false}""";
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly ResponsesClient _responses = fixture.Host.Responses();

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task A_json_schema_format_reaches_the_upstream_as_response_format_and_its_json_comes_back()
    {
        const string Json = """{"city":"Paris","celsius":21}""";
        _upstream.Enqueue(FakeResponse.Answer(FakeAnswer.Says(Json)));
        var before = _upstream.ChatRequests.Count;
        var options = Sdk.Ask(Model, "The weather in Paris, as JSON");
        options.TextOptions = new ResponseTextOptions
        {
            TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("weather", BinaryData.FromString(Schema), "A city's weather", jsonSchemaIsStrict: true),
        };

        ResponseResult response = await _responses.CreateResponseAsync(options);

        Assert.Equal(Json, response.GetOutputText());
        var format = Assert.Single(_upstream.ChatRequestsSince(before)).Json.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        var schema = format.GetProperty("json_schema");
        Assert.Equal("weather", schema.GetProperty("name").GetString());
        Assert.Equal("A city's weather", schema.GetProperty("description").GetString());
        Assert.True(schema.GetProperty("strict").GetBoolean());
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(Schema).RootElement, schema.GetProperty("schema")));
        Assert.Equal(ResponseTextFormatKind.JsonSchema, response.TextOptions.TextFormat.Kind);
    }

    [Fact]
    public async Task A_json_object_format_reaches_the_upstream_as_response_format()
    {
        var before = _upstream.ChatRequests.Count;
        var options = Sdk.Ask(Model, "Answer in JSON");
        options.TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonObjectFormat() };

        ResponseResult response = await _responses.CreateResponseAsync(options);

        var sent = Assert.Single(_upstream.ChatRequestsSince(before)).Json;
        Assert.Equal("json_object", sent.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal(ResponseTextFormatKind.JsonObject, response.TextOptions.TextFormat.Kind);
    }

    [Fact]
    public async Task Plain_text_asks_the_upstream_for_no_response_format()
    {
        var before = _upstream.ChatRequests.Count;
        var options = Sdk.Ask(Model, "Say plain");
        options.TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateTextFormat() };

        ResponseResult response = await _responses.CreateResponseAsync(options);

        Assert.Equal("Plain", response.GetOutputText());
        Assert.False(Assert.Single(_upstream.ChatRequestsSince(before)).Json.TryGetProperty("response_format", out _));
    }
}
