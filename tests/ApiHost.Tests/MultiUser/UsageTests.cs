using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// Usage accounting: what a user's requests cost, as the upstream reported it, adds up exactly in
/// <c>/v1/usage</c>, the admin's usage list and each conversation's <c>usage</c>; and a stream cut
/// off by the client is counted too.
/// </summary>
public sealed class UsageTests(UpstreamHostFixture fixture) : IClassFixture<UpstreamHostFixture>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    private readonly RunningApiHost _host = fixture.Host;
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _admin = fixture.Host.Client(TestKeys.Admin);

    [Fact]
    public async Task Turns_and_stateless_calls_add_up_exactly_to_what_the_upstream_reported()
    {
        var user = await _admin.NewUser("metered");
        var client = _host.Client(user.Key);
        var first = await client.CreateConversation("""{"settings":{"instructions":"Be short."}}""");
        var second = await client.CreateConversation();
        var upstreamBefore = _upstream.ChatRequests.Count;

        var seenFirst = new List<Usage>
        {
            Usage.Of((await client.Turn(first, "Say one")).GetProperty("usage")),
            await StreamedTurn(client, first, "Say two three"),
            Usage.Of((await client.Turn(first, "Say four five six")).GetProperty("usage")),
            await StreamedTurn(client, first, "Say seven"),
        };
        var seenSecond = new List<Usage>
        {
            Usage.Of((await client.Turn(second, "Say alone in here")).GetProperty("usage")),
            await StreamedTurn(client, second, "Say streamed alone"),
        };
        var seenStateless = new List<Usage>
        {
            await Stateless(client, """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say stateless one"}]}"""),
            await Stateless(client, """{"model":"gpt-4o","messages":[{"role":"system","content":"Terse."},{"role":"user","content":"Say stateless two"}]}"""),
            await StatelessStream(client, """{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say stateless streamed"}]}"""),
        };
        // A stream whose client did not ask for usage: the service asks for it anyway, and counts it.
        using (var quiet = await client.PostAsync("/v1/chat/completions", Api.Json("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say counted quietly"}]}""")))
        {
            var events = await quiet.ReadEvents();
            Assert.Equal("[DONE]", events[^1]);
            Assert.DoesNotContain(events, e => e.Contains("\"usage\":{", StringComparison.Ordinal));
        }

        // What the upstream reported for each request it received, computed from what it received.
        var reported = _upstream.ChatRequests.Skip(upstreamBefore).Select(ReportedBy).ToList();
        Assert.Equal(10, reported.Count);
        Assert.Equal([.. seenFirst, .. seenSecond, .. seenStateless], reported[..9]);
        var expected = Usage.Sum(reported);

        var mine = await Eventually.Within(() => client.Usage(), u => Usage.Of(u.GetProperty("total")) == expected, Settle);
        Assert.Equal(user.Id, mine.GetProperty("user_id").GetString());
        Assert.Equal("usage", mine.GetProperty("object").GetString());
        Assert.Equal(expected, Usage.Of(mine.GetProperty("total")));
        Assert.Equal(expected, Usage.Of(mine.GetProperty("today")));

        var all = await (await _admin.GetAsync("/v1/admin/usage")).ReadJson();
        var row = Assert.Single(all.GetProperty("data").EnumerateArray(), r => r.GetProperty("user_id").GetString() == user.Id);
        Assert.Equal(expected, Usage.Of(row.GetProperty("total")));
        Assert.Equal(expected, Usage.Of(row.GetProperty("today")));

        Assert.Equal(Usage.Sum(seenFirst), Usage.Of((await (await client.GetAsync($"/v1/conversations/{first}")).ReadJson()).GetProperty("usage")));
        Assert.Equal(Usage.Sum(seenSecond), Usage.Of((await (await client.GetAsync($"/v1/conversations/{second}")).ReadJson()).GetProperty("usage")));
    }

    [Fact]
    public async Task A_users_usage_report_says_the_limits_that_apply_to_them_and_the_admins_list_leaves_them_out()
    {
        var limited = await _admin.NewUser("limits-shown", """{"requests_per_minute":30,"concurrent_streams":2}""");

        var report = await _host.Client(limited.Key).Usage();

        var limits = report.GetProperty("limits");
        Assert.Equal(30, limits.GetProperty("requests_per_minute").GetInt32());
        Assert.Equal(2, limits.GetProperty("concurrent_streams").GetInt32());
        // Not set for this user, and no default configured here: no limit.
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("tokens_per_day").ValueKind);
        using var all = await _admin.GetAsync("/v1/admin/usage");
        Assert.All((await all.ReadJson()).GetProperty("data").EnumerateArray(), entry => Assert.False(entry.TryGetProperty("limits", out _)));
    }

    [Fact]
    public async Task Usage_survives_a_restart_of_the_host()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            TestUser user;
            Usage expected;
            await using (var first = await RunningApiHost.StartAsync(upstream, dataDirectory: data))
            {
                user = await first.Client(TestKeys.Admin).NewUser("restarted");
                var client = first.Client(user.Key);
                var id = await client.CreateConversation();
                var turn = Usage.Of((await client.Turn(id, "Say before restart")).GetProperty("usage"));
                var call = await Stateless(client, """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say stateless before restart"}]}""");
                expected = Usage.Sum([turn, call]);
                await Eventually.Within(() => client.Usage(), u => Usage.Of(u.GetProperty("total")) == expected, Settle);
            }

            await using var second = await RunningApiHost.StartAsync(upstream, dataDirectory: data);
            Assert.Equal(expected, Usage.Of((await second.Client(user.Key).Usage()).GetProperty("total")));
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task A_conversation_stream_cut_off_by_the_client_still_counts()
    {
        var user = await _admin.NewUser("cut-off-turn");
        var client = _host.Client(user.Key);
        var id = await client.CreateConversation();
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        var upstreamBefore = _upstream.ChatRequests.Count;

        using (var response = await client.StartStream(id, "Tell me everything"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Api.ReadEventsUntil(await response.Content.ReadAsStreamAsync(), read => read.Count >= 3);
        }

        Assert.True(await _upstream.WaitForAbortAsync(upstreamBefore + 1, Settle), "the upstream request was not cancelled");
        var usage = await Eventually.Within(() => client.Usage(), u => u.GetProperty("total").GetProperty("requests").GetInt64() == 1, Settle);
        var total = Usage.Of(usage.GetProperty("total"));
        Assert.Equal(1, total.Requests);
        Assert.True(total.PromptTokens > 0 && total.CompletionTokens > 0, $"the cut-off turn counted {total}");
        Assert.Equal(total.PromptTokens + total.CompletionTokens, total.TotalTokens);
        // The conversation counts the same as the user's total.
        var conversation = await Eventually.Within(
            async () => await (await client.GetAsync($"/v1/conversations/{id}")).ReadJson(),
            c => c.GetProperty("usage").GetProperty("requests").GetInt64() == 1,
            Settle);
        Assert.Equal(total, Usage.Of(conversation.GetProperty("usage")));
    }

    [Fact]
    public async Task A_stateless_stream_cut_off_by_the_client_still_counts()
    {
        var user = await _admin.NewUser("cut-off-stateless");
        var client = _host.Client(user.Key);
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        var upstreamBefore = _upstream.ChatRequests.Count;

        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Api.Json("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Tell me everything you know"}]}"""),
        };
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Api.ReadEventsUntil(await response.Content.ReadAsStreamAsync(), read => read.Count >= 3);
        }

        Assert.True(await _upstream.WaitForAbortAsync(upstreamBefore + 1, Settle), "the upstream request was not cancelled");
        var usage = await Eventually.Within(() => client.Usage(), u => u.GetProperty("total").GetProperty("requests").GetInt64() == 1, Settle);
        var total = Usage.Of(usage.GetProperty("total"));
        Assert.Equal(1, total.Requests);
        Assert.True(total.PromptTokens > 0 && total.CompletionTokens > 0, $"the cut-off call counted {total}");
    }

    [Fact]
    public async Task A_stateless_stream_cut_in_the_middle_of_a_tool_call_counts_the_call_so_far()
    {
        var user = await _admin.NewUser("cut-off-tool-call");
        var client = _host.Client(user.Key);
        _upstream.Enqueue(FakeResponse.CutMidToolCall(new FakeToolCall("call_cut", "get_weather", """{"city":"Paris"}"""), argumentPiecesBefore: 2));

        using (var response = await client.PostAsync(
            "/v1/chat/completions",
            Api.Json("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}""")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("[DONE]", await response.ReadEvents());
        }

        // No text arrived and no usage chunk: what the model did say is the call's name and arguments so far.
        var usage = await Eventually.Within(() => client.Usage(), u => u.GetProperty("total").GetProperty("requests").GetInt64() == 1, Settle);
        var total = Usage.Of(usage.GetProperty("total"));
        Assert.True(total.PromptTokens > 0 && total.CompletionTokens > 0, $"the cut-off call counted {total}");
    }

    [Fact]
    public async Task Failed_upstream_calls_cost_nothing()
    {
        var user = await _admin.NewUser("failed-calls");
        var client = _host.Client(user.Key);
        var id = await client.CreateConversation();
        for (var i = 0; i < 3; i++)
        {
            _upstream.Enqueue(FakeResponse.OpenAiError(400, "Invalid value for 'temperature'.", "invalid_request_error", "invalid_value", "temperature"));
        }

        await (await client.SendMessage(id, "Say no")).AssertError(HttpStatusCode.BadRequest, "invalid_value");
        await (await client.StartStream(id, "Say no")).AssertError(HttpStatusCode.BadRequest, "invalid_value");
        using (var stateless = await client.PostAsync("/v1/chat/completions", Api.Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say no"}]}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, stateless.StatusCode);
        }

        // A successful call afterwards is the only thing counted; polling for it also lets any stray count arrive.
        var call = await Stateless(client, """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say yes"}]}""");
        var usage = await Eventually.Within(() => client.Usage(), u => u.GetProperty("total").GetProperty("requests").GetInt64() >= 1, Settle);
        Assert.Equal(call, Usage.Of(usage.GetProperty("total")));
        Assert.Equal(new Usage(0, 0, 0, 0), Usage.Of((await (await client.GetAsync($"/v1/conversations/{id}")).ReadJson()).GetProperty("usage")));
    }

    private static async Task<Usage> StreamedTurn(HttpClient client, string id, string content)
    {
        using var response = await client.StartStream(id, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return UsageChunk(await response.ReadEvents());
    }

    private static async Task<Usage> Stateless(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/v1/chat/completions", Api.Json(body));
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"chat completions answered {(int)response.StatusCode}: {json}");
        return Usage.Of(json.GetProperty("usage"));
    }

    private static async Task<Usage> StatelessStream(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/v1/chat/completions", Api.Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return UsageChunk(await response.ReadEvents());
    }

    private static Usage UsageChunk(List<string> events)
    {
        Assert.Equal("[DONE]", events[^1]);
        var chunk = Assert.Single(events[..^1].Select(e => JsonDocument.Parse(e).RootElement), e => e.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object);
        return Usage.Of(chunk.GetProperty("usage"));
    }

    /// <summary>The usage the fake upstream's default reply reported for a request, from the request itself.</summary>
    private static Usage ReportedBy(FakeRequest request)
    {
        var messages = request.Json.GetProperty("messages").EnumerateArray().ToList();
        var lastUser = messages.Last(m => m.GetProperty("role").GetString() == "user").GetProperty("content").GetString()!;
        var tokens = FakeReplies.UsageOf(FakeReplies.PromptTokensOf(messages.Select(m => m.GetProperty("content").GetString()!)), FakeReplies.ReplyTo(lastUser));
        return new Usage(1, tokens.PromptTokens, tokens.CompletionTokens, tokens.TotalTokens);
    }

    private sealed record Usage(long Requests, long PromptTokens, long CompletionTokens, long TotalTokens)
    {
        /// <summary>A usage report's totals (with <c>requests</c>) or a completion's <c>usage</c> (one request).</summary>
        public static Usage Of(JsonElement json) => new(
            json.TryGetProperty("requests", out var requests) ? requests.GetInt64() : 1,
            json.GetProperty("prompt_tokens").GetInt64(),
            json.GetProperty("completion_tokens").GetInt64(),
            json.GetProperty("total_tokens").GetInt64());

        public static Usage Sum(IEnumerable<Usage> all) => all.Aggregate(new Usage(0, 0, 0, 0), (a, b) =>
            new(a.Requests + b.Requests, a.PromptTokens + b.PromptTokens, a.CompletionTokens + b.CompletionTokens, a.TotalTokens + b.TotalTokens));
    }
}
