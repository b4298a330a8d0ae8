using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using static Conversations.ApiHost.Tests.Responses.ResponsesHttp;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// The Conversations API as an SDK pages and edits it: item pages whose <c>has_more</c> and <c>last_id</c> lead
/// through every item exactly once, both <c>include</c> spellings, up to 20 items of every kind at creation,
/// metadata limits, item deletion that the next turn honours, and one item list for every kind of turn.
/// </summary>
public sealed class ConversationItemsApiTests(UpstreamHostFixture fixture) : IClassFixture<UpstreamHostFixture>, IDisposable
{
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _client = fixture.Host.Client();

    /// <summary>Ten items, one of each kind a conversation holds, in the shapes the SDKs send.</summary>
    private static readonly string[] EveryKind =
    [
        """{"type":"message","role":"user","content":"Plain text"}""",
        """{"type":"message","role":"user","content":[{"type":"input_text","text":"Look at this"},{"type":"input_image","image_url":"https://example.com/cat.png","detail":"low"}]}""",
        """{"type":"message","role":"user","content":[{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"auto"}]}""",
        """{"type":"message","role":"user","content":[{"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0xLjQ=","filename":"notes.pdf"}]}""",
        """{"type":"message","role":"assistant","content":[{"type":"output_text","text":"An answer","annotations":[]}]}""",
        """{"type":"message","role":"assistant","content":[{"type":"refusal","refusal":"Not that"}]}""",
        """{"type":"message","role":"system","content":"Be brief"}""",
        """{"type":"message","role":"developer","content":[{"type":"input_text","text":"Use metric units"}]}""",
        """{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}""",
        """{"type":"function_call_output","call_id":"call_1","output":"{\"celsius\":21}"}""",
    ];

    private static readonly string[] EveryKindShape =
    [
        "message user input_text", "message user input_text,input_image", "message user input_image", "message user input_file",
        "message assistant output_text", "message assistant refusal", "message system input_text", "message developer input_text",
        "function_call", "function_call_output",
    ];

    public static TheoryData<int?, string?> Pages => new()
    {
        { 1, "asc" },
        { 5, "desc" },
        { 9, "asc" },
        { null, null },
        { 100, "asc" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Following_after_last_id_while_has_more_reads_every_item_exactly_once_in_order(int? limit, string? order)
    {
        var conversation = await _client.CreateConversation(Items(Enumerable.Range(0, 20).Select(i => Message($"m{i:D2}"))));
        await Append(conversation, Enumerable.Range(20, 7).Select(i => Message($"m{i:D2}")));
        var all = Enumerable.Range(0, 27).Select(i => $"m{i:D2}").ToList();
        var expected = order == "asc" ? all : Enumerable.Reverse(all).ToList();
        var pageSize = limit ?? 20;

        var read = new List<string>();
        var ids = new HashSet<string>();
        var pages = 0;
        string? after = null;
        while (true)
        {
            var query = string.Join('&', new[] { limit is null ? null : $"limit={limit}", order is null ? null : $"order={order}", after is null ? null : $"after={after}" }.Where(q => q is not null));
            var page = await _client.Items(conversation, query);
            pages++;
            var data = page.GetProperty("data").EnumerateArray().ToList();
            Assert.InRange(data.Count, 1, pageSize);
            Assert.Equal("list", page.GetProperty("object").GetString());
            Assert.Equal(data[0].GetProperty("id").GetString(), page.GetProperty("first_id").GetString());
            Assert.Equal(data[^1].GetProperty("id").GetString(), page.GetProperty("last_id").GetString());
            read.AddRange(data.Select(Text));
            Assert.All(data, item => Assert.True(ids.Add(item.GetProperty("id").GetString()!), $"item {item} was read twice"));
            var hasMore = page.GetProperty("has_more").GetBoolean();
            Assert.Equal(read.Count < expected.Count, hasMore);
            if (!hasMore)
            {
                break;
            }

            after = page.GetProperty("last_id").GetString();
            Assert.True(pages <= expected.Count, "paging does not end");
        }

        Assert.Equal(expected, read);
        Assert.Equal((expected.Count + pageSize - 1) / pageSize, pages);
    }

    public static TheoryData<string, string> IncludeSpellings => new()
    {
        { "items", "include[]=message.output_text.logprobs" },
        { "items", "include%5B%5D=message.output_text.logprobs&include%5B%5D=message.input_image.image_url" },
        { "items", "include=message.output_text.logprobs" },
        { "item", "include[]=message.input_image.image_url" },
        { "item", "include=message.input_image.image_url" },
        { "append", "include[]=message.output_text.logprobs" },
        { "append", "include=message.output_text.logprobs" },
        { "input_items", "include[]=message.input_image.image_url" },
        { "input_items", "include=message.input_image.image_url" },
    };

    [Theory]
    [MemberData(nameof(IncludeSpellings))]
    public async Task Include_is_accepted_in_both_spellings_and_an_unknown_value_is_refused_naming_the_parameter_as_sent(string route, string include)
    {
        var conversation = await _client.CreateConversation(Items([Message("Say hello")]));
        var turn = await _client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Say hi","conversation":"{{conversation}}"}""");
        var item = (await _client.Items(conversation)).GetProperty("data")[0].GetProperty("id").GetString()!;

        Task<HttpResponseMessage> Call(string query) => route switch
        {
            "items" => _client.GetAsync($"/v1/conversations/{conversation}/items?{query}"),
            "item" => _client.GetAsync($"/v1/conversations/{conversation}/items/{item}?{query}"),
            "append" => _client.PostAsync($"/v1/conversations/{conversation}/items?{query}", Api.Json(Items([Message("Added")]))),
            _ => _client.GetAsync($"/v1/responses/{turn.GetProperty("id").GetString()}/input_items?{query}"),
        };

        using (var accepted = await Call(include))
        {
            var body = await accepted.Content.ReadAsStringAsync();
            Assert.True(accepted.StatusCode == HttpStatusCode.OK, $"{route}?{include} answered {(int)accepted.StatusCode}: {body}");
        }

        foreach (var unknown in new[] { "include=message.everything", "include[]=message.everything", "include[]=message.output_text.logprobs&include[]=bogus" })
        {
            using var refused = await Call(unknown);
            var error = await refused.AssertError(HttpStatusCode.BadRequest, "invalid_value");
            Assert.Equal(unknown.Contains("include[]", StringComparison.Ordinal) ? "include[]" : "include", error.GetProperty("param").GetString());
        }
    }

    [Fact]
    public async Task A_conversation_starts_with_up_to_20_items_of_every_kind_and_21_are_refused()
    {
        var twenty = EveryKind.Concat(EveryKind).ToList();

        var conversation = await _client.CreateConversation(Items(twenty));

        var items = (await _client.Items(conversation)).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(EveryKindShape.Concat(EveryKindShape), items.Select(Shape));
        Assert.Equal(20, items.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
        Assert.All(items, i => Assert.Equal("completed", i.GetProperty("status").GetString()));
        Assert.Equal("https://example.com/cat.png", items[1].GetProperty("content")[1].GetProperty("image_url").GetString());
        Assert.Equal(("call_1", "get_weather", """{"city":"Paris"}"""), (items[8].GetProperty("call_id").GetString(), items[8].GetProperty("name").GetString(), items[8].GetProperty("arguments").GetString()));
        Assert.Equal(("call_1", """{"celsius":21}"""), (items[9].GetProperty("call_id").GetString(), items[9].GetProperty("output").GetString()));

        var tooMany = Items([.. twenty, EveryKind[0]]);
        foreach (var (path, body) in new[] { ("/v1/conversations", tooMany), ($"/v1/conversations/{conversation}/items", tooMany) })
        {
            using var refused = await _client.PostAsync(path, Api.Json(body));
            var error = await refused.AssertError(HttpStatusCode.BadRequest, "invalid_value");
            Assert.Equal("items", error.GetProperty("param").GetString());
        }

        Assert.Equal(20, (await _client.Items(conversation)).GetProperty("data").GetArrayLength());
    }

    public static TheoryData<string, string> MetadataBreaches => new()
    {
        { "create", "17 pairs" }, { "create", "key of 65" }, { "create", "value of 513" },
        { "update", "17 pairs" }, { "update", "key of 65" }, { "update", "value of 513" },
        { "response", "17 pairs" }, { "response", "key of 65" }, { "response", "value of 513" },
    };

    [Theory]
    [MemberData(nameof(MetadataBreaches))]
    public async Task Metadata_over_16_pairs_or_with_a_key_over_64_or_a_value_over_512_characters_is_400_naming_the_field(string where, string breach)
    {
        var conversation = await _client.CreateConversation("""{"metadata":{"kept":"yes"}}""");
        var fullest = Enumerable.Range(0, 16).ToDictionary(i => $"{i:D2}".PadRight(64, 'k'), _ => new string('v', 512));
        var over = breach switch
        {
            "17 pairs" => Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", _ => "v"),
            "key of 65" => new Dictionary<string, string> { [new string('k', 65)] = "v" },
            _ => new Dictionary<string, string> { ["note"] = new string('v', 513) },
        };

        using var refused = await Send(where, conversation, over);
        using var fits = await Send(where, conversation, fullest);

        var text = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{where} with {breach} answered {(int)refused.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.StartsWith("metadata", error.GetProperty("param").GetString(), StringComparison.Ordinal);
        var fitsBody = await fits.Content.ReadAsStringAsync();
        Assert.True(fits.StatusCode == HttpStatusCode.OK, $"{where} with 16 pairs of 64/512 answered {(int)fits.StatusCode}: {fitsBody}");
        Assert.Equal(16, JsonDocument.Parse(fitsBody).RootElement.GetProperty("metadata").EnumerateObject().Count());
    }

    [Fact]
    public async Task Deleting_an_item_answers_the_conversation_and_the_item_is_gone_from_the_list_and_from_the_next_turn()
    {
        var conversation = await _client.CreateConversation("""{"metadata":{"topic":"forgetting"}}""");
        await _client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Say my pin is 1234","conversation":"{{conversation}}"}""");
        var items = (await _client.Items(conversation)).GetProperty("data");
        var forgotten = items[0].GetProperty("id").GetString()!;
        Assert.Equal("Say my pin is 1234", Text(items[0]));

        using var deleted = await _client.DeleteAsync($"/v1/conversations/{conversation}/items/{forgotten}");

        var body = await deleted.ReadJson();
        Assert.True(deleted.StatusCode == HttpStatusCode.OK, $"delete item answered {(int)deleted.StatusCode}: {body}");
        Assert.Equal(("conversation", conversation, "forgetting"), (body.GetProperty("object").GetString(), body.GetProperty("id").GetString(), body.GetProperty("metadata").GetProperty("topic").GetString()));
        await (await _client.GetAsync($"/v1/conversations/{conversation}/items/{forgotten}")).AssertError(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(["My pin is 1234"], (await _client.Items(conversation)).GetProperty("data").EnumerateArray().Select(Text));

        var upstreamBefore = _upstream.ChatRequests.Count;
        await _client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Say what now","conversation":"{{conversation}}"}""");
        var sent = _upstream.ChatRequests[upstreamBefore].Json.GetProperty("messages").EnumerateArray()
            .Select(m => $"{m.GetProperty("role").GetString()}: {FakeReplies.TextOf(m.GetProperty("content"))}");
        Assert.Equal(["assistant: My pin is 1234", "user: Say what now"], sent);
    }

    [Fact]
    public async Task Turns_through_messages_and_through_responses_share_one_item_list_in_order()
    {
        var conversation = await _client.CreateConversation();

        await _client.Turn(conversation, "Say one");
        var second = await _client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Say two","conversation":"{{conversation}}"}""");
        using (var streamed = await _client.StartStream(conversation, "Say three"))
        {
            await streamed.ReadEvents();
        }

        var fourth = await _client.StreamResponse($$"""{"model":"gpt-4o-mini","input":"Say four","conversation":{"id":"{{conversation}}"},"stream":true}""");
        await Append(conversation, [Message("Added by hand")]);

        var items = (await _client.Items(conversation)).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(
            ["user: Say one", "assistant: One", "user: Say two", "assistant: Two", "user: Say three", "assistant: Three", "user: Say four", "assistant: Four", "user: Added by hand"],
            items.Select(i => $"{i.GetProperty("role").GetString()}: {Text(i)}"));
        Assert.Equal(second.GetProperty("output")[0].GetProperty("id").GetString(), items[3].GetProperty("id").GetString());
        Assert.Equal(FinalResponse(fourth).GetProperty("output")[0].GetProperty("id").GetString(), items[7].GetProperty("id").GetString());

        // And the next Responses turn reads the whole history, whichever route made it.
        var upstreamBefore = _upstream.ChatRequests.Count;
        await _client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Say five","conversation":"{{conversation}}"}""");
        var sent = _upstream.ChatRequests[upstreamBefore].Json.GetProperty("messages").EnumerateArray().Select(m => FakeReplies.TextOf(m.GetProperty("content")));
        Assert.Equal(["Say one", "One", "Say two", "Two", "Say three", "Three", "Say four", "Four", "Added by hand", "Say five"], sent);
    }

    public void Dispose() => _upstream.ClearScript();

    private static string Message(string text) => JsonSerializer.Serialize(new { type = "message", role = "user", content = text });

    private static string Items(IEnumerable<string> items) => $$"""{"items":[{{string.Join(',', items)}}]}""";

    private async Task Append(string conversation, IEnumerable<string> items)
    {
        using var response = await _client.PostAsync($"/v1/conversations/{conversation}/items", Api.Json(Items(items)));
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"append answered {(int)response.StatusCode}: {body}");
    }

    private static string Shape(JsonElement item) => item.GetProperty("type").GetString() switch
    {
        "message" => $"message {item.GetProperty("role").GetString()} {string.Join(',', item.GetProperty("content").EnumerateArray().Select(p => p.GetProperty("type").GetString()))}",
        var other => other!,
    };

    private Task<HttpResponseMessage> Send(string where, string conversation, Dictionary<string, string> metadata) => where switch
    {
        "create" => _client.PostAsync("/v1/conversations", Api.Json(JsonSerializer.Serialize(new { metadata }))),
        "update" => _client.PostAsync($"/v1/conversations/{conversation}", Api.Json(JsonSerializer.Serialize(new { metadata }))),
        _ => _client.PostResponse(JsonSerializer.Serialize(new { model = "gpt-4o-mini", input = "Say noted", metadata })),
    };
}
