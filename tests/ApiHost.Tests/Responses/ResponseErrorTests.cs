using System.Net.Http.Headers;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// Every error the Responses and Conversations APIs answer for, as a client meets it: OpenAI's envelope with
/// the status, <c>type</c>, <c>code</c> and <c>param</c> an SDK turns into its exception, nothing sent upstream
/// and nothing stored; and never a 5xx for a bad request.
/// </summary>
public sealed class ResponseErrorTests(ResponseErrorTests.SmallBodyHost fixture) : IClassFixture<ResponseErrorTests.SmallBodyHost>, IDisposable
{
    private const int BodyLimit = 64 * 1024;
    private const string UnknownConversation = "conv_00000000000000000000000000000000";
    private const string UnknownResponse = "resp_00000000000000000000000000000000";
    private const string UnknownItem = "msg_00000000000000000000000000000000";

    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly RunningApiHost _host = fixture.Host;
    private readonly HttpClient _client = fixture.Host.Client();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unknown_previous_response_id_is_400_previous_response_not_found(bool stream)
    {
        var upstreamBefore = _upstream.ChatRequests.Count;

        using var response = await _client.PostResponse($$"""{"model":"gpt-4o-mini","input":"Hi","previous_response_id":"{{UnknownResponse}}","stream":{{(stream ? "true" : "false")}}}""");

        var error = await response.AssertError(HttpStatusCode.BadRequest, "previous_response_not_found");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("previous_response_id", error.GetProperty("param").GetString());
        Assert.Contains(UnknownResponse, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(upstreamBefore, _upstream.ChatRequests.Count);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("not stored")]
    public async Task A_deleted_or_unstored_previous_response_is_400_previous_response_not_found(string which)
    {
        var previous = (await _client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Say gone","store":{{(which == "not stored" ? "false" : "true")}}}""")).GetProperty("id").GetString()!;
        if (which == "deleted")
        {
            using var deleted = await _client.DeleteAsync($"/v1/responses/{previous}");
            var body = await deleted.ReadJson();
            Assert.True(deleted.StatusCode == HttpStatusCode.OK, $"delete answered {(int)deleted.StatusCode}: {body}");
            Assert.Equal((previous, "response.deleted", true), (body.GetProperty("id").GetString(), body.GetProperty("object").GetString(), body.GetProperty("deleted").GetBoolean()));
        }

        using var response = await _client.PostResponse($$"""{"model":"gpt-4o-mini","input":"Hi","previous_response_id":"{{previous}}"}""");

        var error = await response.AssertError(HttpStatusCode.BadRequest, "previous_response_not_found");
        Assert.Equal("previous_response_id", error.GetProperty("param").GetString());
        await (await _client.GetAsync($"/v1/responses/{previous}")).AssertError(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_conversation_and_a_previous_response_id_together_are_400_naming_both_and_nothing_is_added()
    {
        var conversation = await _client.CreateConversation();
        var previous = (await _client.CreateResponse("""{"model":"gpt-4o-mini","input":"Say first"}""")).GetProperty("id").GetString()!;
        var upstreamBefore = _upstream.ChatRequests.Count;

        using var response = await _client.PostResponse($$"""{"model":"gpt-4o-mini","input":"Hi","conversation":"{{conversation}}","previous_response_id":"{{previous}}"}""");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(error.GetProperty("param").GetString(), new[] { "conversation", "previous_response_id" });
        Assert.Contains("'conversation'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("'previous_response_id'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(upstreamBefore, _upstream.ChatRequests.Count);
        Assert.Empty((await _client.Items(conversation)).GetProperty("data").EnumerateArray());
    }

    public static TheoryData<string, string, string?> UnknownThings => new()
    {
        { "POST", "/v1/responses", $$"""{"model":"gpt-4o-mini","input":"Hi","conversation":"{{UnknownConversation}}"}""" },
        { "POST", "/v1/responses", $$"""{"model":"gpt-4o-mini","input":"Hi","conversation":{"id":"{{UnknownConversation}}"},"stream":true}""" },
        { "GET", $"/v1/responses/{UnknownResponse}", null },
        { "GET", $"/v1/responses/{UnknownResponse}?stream=true&starting_after=2", null },
        { "DELETE", $"/v1/responses/{UnknownResponse}", null },
        { "GET", $"/v1/responses/{UnknownResponse}/input_items", null },
        { "GET", $"/v1/conversations/{UnknownConversation}", null },
        { "GET", $"/v1/conversations/{UnknownConversation}/items", null },
        { "POST", $"/v1/conversations/{UnknownConversation}/items", """{"items":[{"type":"message","role":"user","content":"Hi"}]}""" },
        { "GET", $"/v1/conversations/{{known}}/items/{UnknownItem}", null },
        { "DELETE", $"/v1/conversations/{{known}}/items/{UnknownItem}", null },
        { "GET", $"/v1/conversations/{UnknownConversation}/items/{UnknownItem}", null },
    };

    [Theory]
    [MemberData(nameof(UnknownThings))]
    public async Task An_unknown_conversation_response_or_item_is_404_not_found(string method, string path, string? body)
    {
        var known = await _client.CreateConversation("""{"items":[{"type":"message","role":"user","content":"Kept"}]}""");
        var upstreamBefore = _upstream.ChatRequests.Count;

        using var response = await Send(_client, method, path.Replace("{known}", known), body);

        var error = await response.AssertError(HttpStatusCode.NotFound, "not_found");
        Assert.Equal("not_found_error", error.GetProperty("type").GetString());
        Assert.Equal(upstreamBefore, _upstream.ChatRequests.Count);
        Assert.Single((await _client.Items(known)).GetProperty("data").EnumerateArray());
    }

    public static TheoryData<string, string, string> BadItems => new()
    {
        { "/v1/responses", """{"model":"gpt-4o-mini","input":[{"type":"reasoning","summary":[]}]}""", "input[0].type" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":[{"role":"user","content":"Hi"},{"type":"web_search_call","id":"ws_1","status":"completed"}]}""", "input[1].type" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":[{"role":"user","content":[{"type":"input_text","text":"Look"},{"type":"input_image","image_url":"not a url"}]}]}""", "input[0].content[1].image_url" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":"Hi","tools":[{"type":"web_search"}]}""", "tools[0].type" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":"Hi","tools":[{"type":"function","name":"f","parameters":{"type":"object"}},{"type":"file_search","vector_store_ids":["vs_1"]}]}""", "tools[1].type" },
        { "/v1/conversations", """{"items":[{"type":"message","role":"user","content":"Hi"},{"type":"computer_call","id":"cu_1"}]}""", "items[1].type" },
        { "/v1/conversations/{known}/items", """{"items":[{"type":"message","role":"user","content":[{"type":"input_image","image_url":"ftp://example.com/cat.png"}]}]}""", "items[0].content[0].image_url" },
        { "/v1/conversations/{known}/items", """{"items":[{"type":"mcp_call","id":"mcp_1"}]}""", "items[0].type" },
    };

    [Theory]
    [MemberData(nameof(BadItems))]
    public async Task A_bad_item_or_tool_is_400_naming_its_path_and_nothing_is_stored_or_sent(string path, string body, string param)
    {
        var known = await _client.CreateConversation();
        var upstreamBefore = _upstream.ChatRequests.Count;

        using var response = await _client.PostAsync(path.Replace("{known}", known), Api.Json(body));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("code").GetString()));
        Assert.Equal(upstreamBefore, _upstream.ChatRequests.Count);
        Assert.Empty((await _client.Items(known)).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_request_too_large()
    {
        var known = await _client.CreateConversation();
        var big = new string('x', BodyLimit + 1);
        var upstreamBefore = _upstream.ChatRequests.Count;

        foreach (var (path, body) in new[]
        {
            ("/v1/responses", JsonSerializer.Serialize(new { model = "gpt-4o-mini", input = big })),
            ("/v1/responses", JsonSerializer.Serialize(new { model = "gpt-4o-mini", input = big, conversation = known, stream = true })),
            ($"/v1/conversations/{known}/items", JsonSerializer.Serialize(new { items = new[] { new { type = "message", role = "user", content = big } } })),
        })
        {
            // A connection of its own: after refusing a body it has not read, the server closes the connection.
            using var caller = new HttpClient(new SocketsHttpHandler()) { BaseAddress = _host.Address };
            caller.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.DefaultUser);
            using var response = await caller.PostAsync(path, Api.Json(body));
            var error = await response.AssertError(HttpStatusCode.RequestEntityTooLarge, "request_too_large");
            Assert.Contains($"{BodyLimit}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(upstreamBefore, _upstream.ChatRequests.Count);
        Assert.Empty((await _client.Items(known)).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_user_over_their_request_rate_gets_429_with_retry_after_and_no_turn_is_taken()
    {
        var admin = _host.Client(TestKeys.Admin);
        var client = _host.Client((await admin.NewUser("responses-one-a-minute", """{"requests_per_minute":1}""")).Key);
        var conversation = await client.CreateConversation();
        await client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Say one","conversation":"{{conversation}}"}""");
        var upstreamBefore = _upstream.ChatRequests.Count;

        foreach (var body in new[]
        {
            $$"""{"model":"gpt-4o-mini","input":"Say two","conversation":"{{conversation}}"}""",
            $$"""{"model":"gpt-4o-mini","input":"Say two","conversation":"{{conversation}}","stream":true}""",
            """{"model":"gpt-4o-mini","input":"Say two"}""",
        })
        {
            using var refused = await client.PostResponse(body);
            var error = await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
            Assert.Equal("requests", error.GetProperty("type").GetString());
            Assert.True(refused.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero, "a 429 says when to retry");
        }

        Assert.Equal(upstreamBefore, _upstream.ChatRequests.Count);
        Assert.Equal(2, (await client.Items(conversation)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_second_turn_while_one_is_running_on_the_conversation_is_409_conversation_busy()
    {
        var conversation = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        using var first = await _client.PostResponse($$"""{"model":"gpt-4o-mini","input":"Tell me a long story","conversation":"{{conversation}}","stream":true}""");
        await first.ReadStreamedEventsUntil(read => read.Any(e => e.Type == "response.output_text.delta"));

        foreach (var body in new[]
        {
            $$"""{"model":"gpt-4o-mini","input":"Are you there?","conversation":"{{conversation}}"}""",
            $$"""{"model":"gpt-4o-mini","input":"Are you there?","conversation":{"id":"{{conversation}}"},"stream":true}""",
        })
        {
            using var busy = await _client.PostResponse(body);
            var error = await busy.AssertError(HttpStatusCode.Conflict, "conversation_busy");
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        }

        using (var viaMessages = await _client.SendMessage(conversation, "And now?"))
        {
            await viaMessages.AssertError(HttpStatusCode.Conflict, "conversation_busy");
        }

        first.Dispose();
        var items = await Eventually.Holds(
            () => _client.Items(conversation),
            list => list.GetProperty("data").GetArrayLength() == 2,
            "the first turn's items being stored");
        Assert.Equal(["Tell me a long story", "One two"], items.GetProperty("data").EnumerateArray().Select(ResponsesHttp.Text));
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "/v1/responses", """{"model":"gpt-4o-mini","input":""" },
        { "/v1/responses", "[]" },
        { "/v1/responses", "null" },
        { "/v1/responses", "\"just a string\"" },
        { "/v1/responses", """{"model":42,"input":"Hi"}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":{"role":"user"}}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":[null]}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":[{"role":"user","content":[{"type":"input_text"}]}]}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":[{"role":"wizard","content":"Hi"}]}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":[{"type":"function_call_output","output":"no call id"}]}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":"Hi","temperature":"hot"}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":"Hi","max_output_tokens":1e400}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":"Hi","tools":"all of them"}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":"Hi","tool_choice":{"type":"function"}}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":"Hi","text":{"format":{"type":"json_schema"}}}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":"Hi","conversation":{"id":7}}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":"Hi","previous_response_id":"resp_\u0000"}""" },
        { "/v1/responses", """{"model":"gpt-4o-mini","input":"Hi","metadata":{"a":1}}""" },
        { "/v1/conversations", """{"items":"none"}""" },
        { "/v1/conversations", """{"items":[{"type":"message","role":"user"}]}""" },
        { "/v1/conversations/{known}/items", """{"items":[]}""" },
        { "/v1/conversations/{known}/items", """{"item":{"type":"message","role":"user","content":"Hi"}}""" },
        { "/v1/conversations/{known}", """{"metadata":"x"}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_body_is_a_400_in_the_envelope_never_a_5xx(string path, string body)
    {
        var known = await _client.CreateConversation();

        using var response = await _client.PostAsync(path.Replace("{known}", known), Api.Json(body));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {body} answered {(int)response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    public void Dispose() => _upstream.ClearScript();

    internal static Task<HttpResponseMessage> Send(HttpClient client, string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = Api.Json(body);
        }

        return client.SendAsync(request);
    }

    /// <summary>A host with the fake upstream that takes bodies of at most <see cref="BodyLimit"/> bytes.</summary>
    public sealed class SmallBodyHost : IAsyncLifetime
    {
        public FakeOpenAiServer Upstream { get; private set; } = null!;

        public RunningApiHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Upstream = await FakeOpenAiServer.StartAsync();
            Host = await RunningApiHost.StartAsync(Upstream, new Dictionary<string, string?> { ["CONVERSATIONS_MAX_BODY_BYTES"] = $"{BodyLimit}" });
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            await Upstream.DisposeAsync();
        }
    }
}
