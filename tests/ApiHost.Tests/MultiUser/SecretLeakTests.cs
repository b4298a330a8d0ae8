using System.Net.Http.Headers;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// No key ever leaves the service: not the provider key, not the admin key, not a user's key — in no
/// log line at the most verbose level and in no response, on success and failure paths alike. The one
/// exception is the response that issues a key, which carries that key.
/// </summary>
public sealed class SecretLeakTests
{
    /// <summary>How OpenAI words a rejected provider key: the key masked but for its start and end.</summary>
    private static readonly string UpstreamRejection =
        $"Incorrect API key provided: {TestKeys.Upstream[..8]}{new string('*', TestKeys.Upstream.Length - 12)}{TestKeys.Upstream[^4..]}. You can find your API key at https://platform.openai.com/account/api-keys.";

    [Fact]
    public async Task No_key_appears_in_any_log_line_or_response_of_an_in_process_host_at_trace_level()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var host = await RunningApiHost.StartAsync(upstream, minimumLevel: LogLevel.Trace);
        using var recorder = new RecordedExchanges();

        var issued = await Exercise(key => recorder.Client(host.Address, key), upstream);

        Assert.True(host.Logs.Lines.Count > 100, $"only {host.Logs.Lines.Count} log lines were captured; is trace logging on?");
        AssertNoSecretIn(host.Logs.Lines, issued, "log line");
        AssertNoSecretInResponses(recorder.Exchanges, issued);
    }

    /// <summary>
    /// At Trace, Orleans' client and gateway log the body of every grain call that crosses between
    /// processes, including the reply that issues a key. Regression: that reply's ToString used to carry it.
    /// </summary>
    [Fact]
    public async Task No_key_appears_in_any_log_line_or_response_of_a_client_mode_host_at_trace_level()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var silo = await RunningApiHost.StartAsync(upstream, minimumLevel: LogLevel.Trace);
        await using var front = await ClientModeHost.StartClientOf(silo, upstream, LogLevel.Trace);
        using var recorder = new RecordedExchanges();

        var issued = await Exercise(key => recorder.Client(front.Address, key), upstream);

        AssertNoSecretIn([.. front.Logs.Lines, .. silo.Logs.Lines], issued, "log line");
        AssertNoSecretInResponses(recorder.Exchanges, issued);
    }

    [Fact]
    public async Task No_key_appears_in_the_console_output_or_responses_of_the_host_process_at_trace_level()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            // Every key comes from the environment, so nothing is generated and printed.
            var environment = new Dictionary<string, string?>(LogLevels.Everywhere(LogLevel.Trace))
            {
                ["CONVERSATIONS_DATA_DIR"] = data,
                ["CONVERSATIONS_ADMIN_KEY"] = TestKeys.Admin,
                ["CONVERSATIONS_API_KEY"] = TestKeys.DefaultUser,
                ["OPENAI_BASE_URL"] = upstream.BaseUrl,
                ["OPENAI_API_KEY"] = TestKeys.Upstream,
                ["Upstream:RetryBaseDelay"] = "00:00:00.010",
                ["Upstream:MaxRetryDelay"] = "00:00:00.050",
                ["Logging:Console:IncludeScopes"] = "true",
            };
            await using var host = await ApiHostProcess.StartAsync(environment, data);
            using var recorder = new RecordedExchanges();

            var issued = await Exercise(key => recorder.Client(host.Address, key), upstream);

            // The console logger writes on its own thread: a last, recognisable request marks when all has been written.
            const string marker = "conv_0000000000000000000000000000e0d0";
            using (var last = await host.Client().GetAsync($"/v1/conversations/{marker}"))
            {
                Assert.Equal(HttpStatusCode.NotFound, last.StatusCode);
            }

            var output = await Eventually.Within(
                () => Task.FromResult(host.Output),
                o => o.Any(l => l.Contains(marker, StringComparison.Ordinal) && l.Contains("finished", StringComparison.OrdinalIgnoreCase)),
                TimeSpan.FromSeconds(5));
            Assert.Contains(output, l => l.Contains(marker, StringComparison.Ordinal) && l.Contains("finished", StringComparison.OrdinalIgnoreCase));
            Assert.Contains(output, l => l.StartsWith("trce:", StringComparison.Ordinal));
            AssertNoSecretIn(output, issued, "console line");
            AssertNoSecretInResponses(recorder.Exchanges, issued);
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    /// <summary>Success and failure paths through every kind of route; answers the keys it had issued.</summary>
    private static async Task<List<string>> Exercise(Func<string?, HttpClient> clientFor, FakeOpenAiServer upstream)
    {
        var admin = clientFor(TestKeys.Admin);
        var issued = new List<string>();

        // Admin routes: create, issue, list, revoke, usage.
        var user = await admin.CreateUser("leaky", """{"requests_per_minute":1000}""");
        var userId = user.GetProperty("id").GetString()!;
        var first = await admin.IssueKey(userId);
        var revoked = await admin.IssueKey(userId);
        issued.Add(first.GetProperty("key").GetString()!);
        issued.Add(revoked.GetProperty("key").GetString()!);
        await Expect(admin.GetAsync($"/v1/admin/users/{userId}/keys"), HttpStatusCode.OK);
        await Expect(admin.GetAsync("/v1/admin/users"), HttpStatusCode.OK);
        await Expect(admin.GetAsync("/v1/admin/usage"), HttpStatusCode.OK);
        await Expect(admin.PostAsync("/v1/admin/users", Api.Json("{\"name\":")), HttpStatusCode.BadRequest);
        await Expect(admin.GetAsync("/v1/admin/users/user_0000/keys"), HttpStatusCode.NotFound);

        // A good key on every kind of user route, single-shot and streamed.
        var client = clientFor(issued[0]);
        var id = await client.CreateConversation("""{"settings":{"model":"gpt-4o-mini"}}""");
        await client.Turn(id, "Say hello");
        using (var stream = await client.StartStream(id, "Say streamed hello"))
        {
            Assert.Equal("[DONE]", (await stream.ReadEvents())[^1]);
        }

        await Expect(client.PostAsync("/v1/chat/completions", Api.Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say stateless"}]}""")), HttpStatusCode.OK);
        await Expect(client.PostAsync("/v1/chat/completions", Api.Json("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say stateless stream"}]}""")), HttpStatusCode.OK);
        await Expect(client.GetAsync("/v1/models"), HttpStatusCode.OK);
        await Expect(client.GetAsync($"/v1/conversations/{id}/items"), HttpStatusCode.OK);
        await Expect(client.GetAsync("/v1/conversations"), HttpStatusCode.OK);
        await Expect(client.GetAsync("/v1/usage"), HttpStatusCode.OK);
        await Expect(client.GetAsync("/v1/admin/users"), HttpStatusCode.Forbidden);
        await Expect(admin.GetAsync("/v1/usage"), HttpStatusCode.Forbidden);

        // The upstream failing: its key rejected, an error, a rate limit — on turns, streams and stateless calls.
        upstream.Enqueue(FakeResponse.OpenAiError(401, UpstreamRejection, "invalid_request_error", "invalid_api_key"));
        await Expect(client.SendMessage(id, "Say unauthorized"), HttpStatusCode.BadGateway);
        upstream.Enqueue(FakeResponse.OpenAiError(401, UpstreamRejection, "invalid_request_error", "invalid_api_key"));
        await Expect(client.StartStream(id, "Say unauthorized"), HttpStatusCode.BadGateway);
        upstream.Enqueue(FakeResponse.OpenAiError(401, UpstreamRejection, "invalid_request_error", "invalid_api_key"));
        await Expect(client.PostAsync("/v1/chat/completions", Api.Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say unauthorized"}]}""")), HttpStatusCode.BadGateway);
        // An upstream that repeats the key it was sent, in full.
        upstream.Enqueue(FakeResponse.OpenAiError(401, $"Invalid API key: {TestKeys.Upstream}", "invalid_request_error", "invalid_api_key"));
        await Expect(client.PostAsync("/v1/chat/completions", Api.Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say echoed"}]}""")), HttpStatusCode.BadGateway);
        upstream.Enqueue(FakeResponse.OpenAiError(401, $"Invalid API key: {TestKeys.Upstream}", "invalid_request_error", "invalid_api_key"));
        await Expect(client.SendMessage(id, "Say echoed"), HttpStatusCode.BadGateway);
        for (var i = 0; i < 3; i++)
        {
            upstream.Enqueue(FakeResponse.OpenAiError(500, "The server had an error while processing your request.", "server_error"));
        }

        await Expect(client.SendMessage(id, "Say failing"), HttpStatusCode.InternalServerError);
        // Longer than the service waits out itself, so it goes straight back to the client.
        upstream.Enqueue(FakeResponse.RateLimited(retryAfter: "120"));

        await Expect(client.SendMessage(id, "Say limited"), HttpStatusCode.TooManyRequests);
        upstream.Enqueue(FakeResponse.ErrorMidStream("The model crashed.", "server_error", piecesBefore: 2));
        await Expect(client.StartStream(id, "Say crash"), HttpStatusCode.OK);
        upstream.Enqueue(FakeResponse.CutMidStream(piecesBefore: 2));
        await Expect(client.StartStream(id, "Say cut"), HttpStatusCode.OK);

        // Keys that do not work: garbage, revoked, missing, and real keys under another scheme.
        await Expect(clientFor("sk-conv-garbage-garbage-garbage").GetAsync("/v1/conversations"), HttpStatusCode.Unauthorized);
        await admin.RevokeKey(revoked.GetProperty("id").GetString()!);
        var revokedClient = clientFor(issued[1]);
        await Eventually.Within(async () => (await revokedClient.GetAsync("/v1/conversations")).StatusCode, s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(2));
        await Expect(revokedClient.SendMessage(id, "Say revoked"), HttpStatusCode.Unauthorized);
        await Expect(clientFor(null).GetAsync("/v1/conversations"), HttpStatusCode.Unauthorized);
        foreach (var (scheme, key) in new[] { ("Token", TestKeys.Admin), ("Basic", issued[0]), ("Token", TestKeys.DefaultUser) })
        {
            var wrong = clientFor(null);
            wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, key);
            await Expect(wrong.GetAsync("/v1/admin/users"), HttpStatusCode.Unauthorized);
        }

        // The default user's configured key, and a last request to mark the end.
        await Expect(clientFor(TestKeys.DefaultUser).GetAsync("/v1/conversations"), HttpStatusCode.OK);
        await Expect(client.GetAsync("/v1/usage"), HttpStatusCode.OK);
        upstream.ClearScript();
        return issued;
    }

    private static async Task Expect(Task<HttpResponseMessage> sending, HttpStatusCode expected)
    {
        using var response = await sending;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}, not {(int)expected}: {body}");
    }

    private static List<string> Secrets(IEnumerable<string> issued) => [TestKeys.Upstream, TestKeys.Admin, TestKeys.DefaultUser, .. issued];

    private static void AssertNoSecretIn(IEnumerable<string> lines, IEnumerable<string> issued, string what)
    {
        foreach (var line in lines)
        {
            foreach (var secret in Secrets(issued))
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"a {what} holds a key: {line.Replace(secret, "<KEY>")}");
            }
        }
    }

    private static void AssertNoSecretInResponses(IReadOnlyList<RecordedExchange> exchanges, List<string> issued)
    {
        Assert.True(exchanges.Count > 30, $"only {exchanges.Count} responses were recorded");
        foreach (var exchange in exchanges)
        {
            foreach (var secret in Secrets(issued))
            {
                var issuing = exchange.Status == 201 && exchange.Request.EndsWith("/keys", StringComparison.Ordinal) && exchange.Body.Contains($"\"key\":\"{secret}\"", StringComparison.Ordinal);
                Assert.False(!issuing && exchange.Contains(secret), $"the response to {exchange.Request} ({exchange.Status}) holds a key");
            }
        }

        // Each issued key was in exactly one response: the one that issued it.
        foreach (var key in issued)
        {
            Assert.Single(exchanges, e => e.Contains(key));
        }
    }
}
