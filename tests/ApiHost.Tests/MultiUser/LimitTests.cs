using System.Text.RegularExpressions;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// A user's limits as a client meets them: 429 in OpenAI's envelope with <c>Retry-After</c> and
/// OpenAI's <c>x-ratelimit-*</c> headers, the upstream never called, nothing stored.
/// </summary>
public sealed partial class LimitTests(UpstreamHostFixture fixture) : IClassFixture<UpstreamHostFixture>
{
    private const string Stateless = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say stateless"}]}""";

    private readonly RunningApiHost _host = fixture.Host;
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _admin = fixture.Host.Client(TestKeys.Admin);

    [Fact]
    public async Task The_fourth_request_of_a_user_allowed_three_a_minute_gets_429_with_retry_after_and_rate_limit_headers()
    {
        var user = await _admin.NewUser("three-a-minute", """{"requests_per_minute":3}""");
        var client = _host.Client(user.Key);
        var id = await client.CreateConversation();
        var upstreamBefore = _upstream.ChatRequests.Count;

        var remaining = new List<string>();
        using (var one = await client.SendMessage(id, "Say one"))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            AssertRequestHeaders(one, "3");
            remaining.Add(Header(one, "x-ratelimit-remaining-requests"));
        }

        using (var two = await client.StartStream(id, "Say two"))
        {
            Assert.Equal(HttpStatusCode.OK, two.StatusCode);
            Assert.Equal("[DONE]", (await two.ReadEvents())[^1]);
            AssertRequestHeaders(two, "3");
            remaining.Add(Header(two, "x-ratelimit-remaining-requests"));
        }

        using (var three = await client.PostAsync("/v1/chat/completions", Api.Json(Stateless)))
        {
            Assert.Equal(HttpStatusCode.OK, three.StatusCode);
            AssertRequestHeaders(three, "3");
            remaining.Add(Header(three, "x-ratelimit-remaining-requests"));
        }

        Assert.Equal(["2", "1", "0"], remaining);

        // Routes that do not call the model are not limited.
        for (var i = 0; i < 5; i++)
        {
            using var read = await client.GetAsync($"/v1/conversations/{id}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        await client.CreateConversation();

        foreach (var refused in new[]
        {
            await client.SendMessage(id, "Say four"),
            await client.StartStream(id, "Say four"),
            await client.PostAsync("/v1/chat/completions", Api.Json(Stateless)),
        })
        {
            using (refused)
            {
                var error = await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
                Assert.Equal("requests", error.GetProperty("type").GetString());
                var retryAfter = Header(refused, "Retry-After");
                Assert.Matches("^[1-9][0-9]*$", retryAfter);
                Assert.InRange(int.Parse(retryAfter), 1, 60);
                AssertRequestHeaders(refused, "3");
                Assert.Equal("0", Header(refused, "x-ratelimit-remaining-requests"));
            }
        }

        Assert.Equal(upstreamBefore + 3, _upstream.ChatRequests.Count);
        Assert.Equal(4, (await client.Items(id)).GetProperty("data").GetArrayLength());
        var usage = await Eventually.Within(() => client.Usage(), u => u.GetProperty("total").GetProperty("requests").GetInt64() == 3, TimeSpan.FromSeconds(5));
        Assert.Equal(3, usage.GetProperty("total").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task A_refused_request_is_told_to_wait_until_the_window_announced_before_ends_not_a_whole_minute()
    {
        var user = await _admin.NewUser("when-to-retry", """{"requests_per_minute":1}""");
        var client = _host.Client(user.Key);
        var id = await client.CreateConversation();
        // The window starts when the user's limits are loaded (here, by reading their usage), a moment before the limited calls.
        await client.Usage();

        TimeSpan announced;
        using (var first = await client.SendMessage(id, "Say one"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            announced = ParseDuration(Header(first, "x-ratelimit-reset-requests"));
        }

        using var refused = await client.SendMessage(id, "Say two");

        await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        var reset = ParseDuration(Header(refused, "x-ratelimit-reset-requests"));
        var retryAfterMs = long.Parse(Header(refused, "retry-after-ms"));
        Assert.True(reset <= announced, $"the 429 says the window resets in {reset}, but the answer before it said {announced}");
        Assert.True(retryAfterMs <= (long)Math.Ceiling(announced.TotalMilliseconds), $"the 429 says retry after {retryAfterMs} ms, but the window ends in {announced}");
        Assert.True(int.Parse(Header(refused, "Retry-After")) <= (int)Math.Ceiling(announced.TotalSeconds));
    }

    /// <summary>Regression: stateless streams used to take no stream slot, so they escaped the limit.</summary>
    [Fact]
    public async Task With_one_concurrent_stream_a_stateless_stream_counts_as_the_one()
    {
        var user = await _admin.NewUser("one-stateless-stream", """{"concurrent_streams":1,"requests_per_minute":1000}""");
        var client = _host.Client(user.Key);
        var id = await client.CreateConversation();
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Api.Json("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Tell me a long story"}]}"""),
        };
        using (var open = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
            await Api.ReadEventsUntil(await open.Content.ReadAsStreamAsync(), read => read.Count >= 3);

            using var refused = await client.StartStream(id, "Say me too");
            await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        }

        // The slot comes back once the first stream is gone.
        var answered = await Eventually.Within(
            async () =>
            {
                using var next = await client.StartStream(id, "Say now");
                return next.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, answered);
    }

    [Fact]
    public async Task One_users_limit_does_not_touch_another_user()
    {
        var limited = _host.Client((await _admin.NewUser("limited-one", """{"requests_per_minute":1}""")).Key);
        var free = _host.Client((await _admin.NewUser("unlimited-neighbour", """{"requests_per_minute":100}""")).Key);
        var limitedConversation = await limited.CreateConversation();
        var freeConversation = await free.CreateConversation();

        await limited.Turn(limitedConversation, "Say one");
        await (await limited.SendMessage(limitedConversation, "Say two")).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");

        for (var i = 0; i < 3; i++)
        {
            using var response = await free.SendMessage(freeConversation, $"Say {i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("100", Header(response, "x-ratelimit-limit-requests"));
            Assert.Equal($"{99 - i}", Header(response, "x-ratelimit-remaining-requests"));
        }
    }

    [Fact]
    public async Task Remaining_requests_count_down_one_by_one_while_the_host_admits_from_its_reservation()
    {
        // A limit this large lets the host reserve several requests at a time (1, 2, 4, ... as it uses them).
        var client = _host.Client((await _admin.NewUser("reserving", """{"requests_per_minute":6400}""")).Key);
        var upstreamBefore = _upstream.ChatRequests.Count;

        var remaining = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            using var response = await client.PostAsync("/v1/chat/completions", Api.Json(Stateless));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            remaining.Add(Header(response, "x-ratelimit-remaining-requests"));
        }

        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"{6400 - i}"), remaining);
        Assert.Equal(upstreamBefore + 40, _upstream.ChatRequests.Count);
    }

    [Fact]
    public async Task Once_the_days_tokens_are_used_up_requests_get_429_of_type_tokens_until_midnight_utc()
    {
        // The first turn is admitted with the whole allowance left and uses more than all of it.
        var user = await _admin.NewUser("ten-tokens-a-day", """{"tokens_per_day":10,"requests_per_minute":100}""");
        var client = _host.Client(user.Key);
        var id = await client.CreateConversation();

        using (var first = await client.SendMessage(id, "Say hello there friend"))
        {
            var completion = await first.ReadJson();
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.True(completion.GetProperty("usage").GetProperty("total_tokens").GetInt64() >= 10);
            Assert.Equal("10", Header(first, "x-ratelimit-limit-tokens"));
            Assert.Equal("10", Header(first, "x-ratelimit-remaining-tokens"));
        }

        var upstreamBefore = _upstream.ChatRequests.Count;
        foreach (var refused in new[]
        {
            await client.SendMessage(id, "Say more"),
            await client.StartStream(id, "Say more"),
            await client.PostAsync("/v1/chat/completions", Api.Json(Stateless)),
        })
        {
            using (refused)
            {
                var error = await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
                Assert.Equal("tokens", error.GetProperty("type").GetString());
                Assert.Equal("10", Header(refused, "x-ratelimit-limit-tokens"));
                Assert.Equal("0", Header(refused, "x-ratelimit-remaining-tokens"));
                var untilMidnight = DateTime.UtcNow.Date.AddDays(1) - DateTime.UtcNow;
                var retryAfter = int.Parse(Header(refused, "Retry-After"));
                Assert.InRange(retryAfter, (int)untilMidnight.TotalSeconds - 60, (int)Math.Ceiling(untilMidnight.TotalSeconds) + 60);
                Assert.Matches(DurationPattern(), Header(refused, "x-ratelimit-reset-tokens"));
            }
        }

        Assert.Equal(upstreamBefore, _upstream.ChatRequests.Count);
        Assert.Equal(2, (await client.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Tokens_of_stateless_calls_count_against_the_days_tokens()
    {
        var user = await _admin.NewUser("stateless-tokens", """{"tokens_per_day":10}""");
        var client = _host.Client(user.Key);
        using (var first = await client.PostAsync("/v1/chat/completions", Api.Json(Stateless)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // The call's usage reaches the user's count moments after the answer; then the next call is refused.
        var refused = await Eventually.Within(
            async () => { var r = await client.PostAsync("/v1/chat/completions", Api.Json(Stateless)); await r.Content.LoadIntoBufferAsync(); return r; },
            r => r.StatusCode == HttpStatusCode.TooManyRequests,
            TimeSpan.FromSeconds(5));
        var error = await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal("tokens", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task With_one_concurrent_stream_a_second_stream_gets_429_until_the_first_ends()
    {
        var user = await _admin.NewUser("one-stream", """{"concurrent_streams":1,"requests_per_minute":1000}""");
        var client = _host.Client(user.Key);
        var first = await client.CreateConversation();
        var second = await client.CreateConversation();
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));

        var open = await client.StartStream(first, "Tell me a long story");
        try
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
            await Api.ReadEventsUntil(await open.Content.ReadAsStreamAsync(), read => read.Count >= 3);

            using (var refused = await client.StartStream(second, "Say me too"))
            {
                var error = await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
                Assert.Contains("concurrent streams", error.GetProperty("message").GetString());
                Assert.Matches("^[1-9][0-9]*$", Header(refused, "Retry-After"));
            }

            // A single-shot turn is not a stream: it goes through.
            await client.Turn(second, "Say single");
            Assert.Equal(2, (await client.Items(second)).GetProperty("data").GetArrayLength());
        }
        finally
        {
            open.Dispose();
        }

        // The first stream ended (the client went away); a new stream is admitted as soon as its slot is free.
        var again = await Eventually.Within(
            async () => { var r = await client.StartStream(second, "Say streamed"); await r.Content.LoadIntoBufferAsync(); return r; },
            r => r.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("[DONE]", (await again.ReadEvents())[^1]);
        // And after that one finished cleanly, the next is admitted at once.
        using var third = await client.StartStream(second, "Say once more");
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal("[DONE]", (await third.ReadEvents())[^1]);
    }

    private static void AssertRequestHeaders(HttpResponseMessage response, string limit)
    {
        Assert.Equal(limit, Header(response, "x-ratelimit-limit-requests"));
        Assert.Matches("^[0-9]+$", Header(response, "x-ratelimit-remaining-requests"));
        Assert.Matches(DurationPattern(), Header(response, "x-ratelimit-reset-requests"));
    }

    /// <summary>Reads OpenAI's duration form back (<c>20ms</c>, <c>59.871s</c>, <c>6m0s</c>, <c>1h2m3s</c>).</summary>
    private static TimeSpan ParseDuration(string text)
    {
        Assert.Matches(DurationPattern(), text);
        if (text.EndsWith("ms", StringComparison.Ordinal))
        {
            return TimeSpan.FromMilliseconds(double.Parse(text[..^2], System.Globalization.CultureInfo.InvariantCulture));
        }

        var match = Regex.Match(text, @"^(?:(\d+)h)?(?:(\d+)m)?([0-9.]+)s$");
        return TimeSpan.FromHours(match.Groups[1].Success ? int.Parse(match.Groups[1].Value) : 0)
            + TimeSpan.FromMinutes(match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : 0)
            + TimeSpan.FromSeconds(double.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
            ? values.Single()
            : throw new Xunit.Sdk.XunitException($"the {(int)response.StatusCode} response has no {name} header");

    /// <summary>OpenAI's durations: <c>20ms</c>, <c>1s</c>, <c>59.871s</c>, <c>6m0s</c>, <c>13h2m5s</c>.</summary>
    [GeneratedRegex(@"^([0-9]+ms|([0-9]+h)?([0-9]+m)?[0-9]+(\.[0-9]+)?s)$")]
    private static partial Regex DurationPattern();
}
