using System.Net;
using System.Net.Sockets;
using Conversations.Core.Upstream;
using Conversations.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

public sealed class HttpChatUpstreamFailureTests
{
    private static async Task<UpstreamError> CompleteFailingAsync(UpstreamHarness harness, string text = "hi")
    {
        var result = await harness.Http.CompleteAsync(Ask(text), CancellationToken.None);
        Assert.True(result.IsT1, "expected an error, got a completion");
        return result.AsT1;
    }

    [Fact]
    public async Task A_refused_key_is_unauthorized_and_not_retried()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.OpenAiError(401, "Incorrect API key provided: sk-proj-Ha*****XYZ. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"));

        var error = await CompleteFailingAsync(harness);

        Assert.IsType<UpstreamError.Unauthorized>(error);
        Assert.DoesNotContain("sk-proj", error.Message);
        Assert.Single(harness.Fake.ChatRequests);
    }

    [Fact]
    public async Task A_rate_limit_asking_for_longer_than_the_cap_comes_back_at_once_with_the_wait()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.RateLimited(retryAfter: "20"));

        var error = await CompleteFailingAsync(harness);

        var limited = Assert.IsType<UpstreamError.RateLimited>(error);
        Assert.Equal(TimeSpan.FromSeconds(20), limited.RetryAfter);
        Assert.Contains("Rate limit reached", limited.Message);
        Assert.Single(harness.Fake.ChatRequests);
    }

    [Fact]
    public async Task A_rate_limit_that_outlasts_the_retries_keeps_its_wait()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(
            FakeResponse.RateLimited(retryAfterMs: "30"),
            FakeResponse.RateLimited(retryAfterMs: "30"),
            FakeResponse.RateLimited(retryAfterMs: "30", retryAfter: "1"));

        var error = await CompleteFailingAsync(harness);

        Assert.Equal(TimeSpan.FromMilliseconds(30), Assert.IsType<UpstreamError.RateLimited>(error).RetryAfter);
        Assert.Equal(3, harness.Fake.ChatRequests.Count);
    }

    [Fact]
    public async Task A_bad_request_carries_the_upstreams_message_and_param()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.OpenAiError(400, "Invalid value for 'temperature': must be between 0 and 2.", "invalid_request_error", "invalid_value", "temperature"));

        var error = await CompleteFailingAsync(harness);

        Assert.Equal(new UpstreamError.BadRequest("Invalid value for 'temperature': must be between 0 and 2.", "temperature", "invalid_value"), error);
        Assert.Single(harness.Fake.ChatRequests);
    }

    [Fact]
    public async Task An_unknown_model_is_model_not_found()
    {
        await using var harness = await StartAsync();
        harness.Fake.RejectUnknownModels = true;

        var error = (await harness.Http.CompleteAsync(Ask("hi", model: "gpt-9"), CancellationToken.None)).AsT1;

        Assert.Equal(new UpstreamError.ModelNotFound("The model `gpt-9` does not exist or you do not have access to it."), error);
    }

    [Fact]
    public async Task A_server_error_page_is_a_server_error_named_by_its_title()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:MaxRetries"] = "0" });
        harness.Fake.Enqueue(FakeResponse.Html(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"));

        var error = await CompleteFailingAsync(harness);

        Assert.Equal(new UpstreamError.ServerError("The upstream failed with HTTP 502. Its answer was an HTML page titled \"502 Bad Gateway\".", 502), error);
    }

    [Fact]
    public async Task An_upstream_that_never_answers_times_out_and_is_left_at_once()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?>
        {
            ["Upstream:MaxRetries"] = "0",
            ["Upstream:AttemptTimeout"] = "00:00:00.300",
        });
        harness.Fake.Enqueue(FakeResponse.HangBeforeHeaders);

        var error = await CompleteFailingAsync(harness);

        Assert.IsType<UpstreamError.Timeout>(error);
        Assert.Contains("0.3 s", error.Message);
        Assert.True(await harness.Fake.WaitForAbortAsync(1, TimeSpan.FromSeconds(1)), "the upstream did not see the request abandoned");
    }

    [Fact]
    public async Task The_total_timeout_bounds_all_attempts_together()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?>
        {
            ["Upstream:AttemptTimeout"] = "00:00:02",
            ["Upstream:TotalTimeout"] = "00:00:00.400",
        });
        harness.Fake.Enqueue(FakeResponse.HangBeforeHeaders);
        var started = TimeProvider.System.GetTimestamp();

        var error = await CompleteFailingAsync(harness);

        Assert.IsType<UpstreamError.Timeout>(error);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(1.5));
        Assert.Single(harness.Fake.ChatRequests);
    }

    [Fact]
    public async Task A_reply_that_is_not_json_is_malformed()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.MalformedJson);

        Assert.IsType<UpstreamError.MalformedResponse>(await CompleteFailingAsync(harness));
    }

    [Fact]
    public async Task A_refused_connection_is_connection_failed()
    {
        var port = FreeClosedPort();
        await using var harness = await StartAsync(
            new Dictionary<string, string?> { [UpstreamOptions.BaseUrlVariable] = $"http://127.0.0.1:{port}/v1" },
            withFake: false);

        var error = (await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None)).AsT1;

        Assert.Equal(new UpstreamError.ConnectionFailed($"Could not connect to the upstream at 127.0.0.1:{port}."), error);
    }

    [Fact]
    public async Task An_unknown_host_is_connection_failed()
    {
        await using var harness = await StartAsync(
            new Dictionary<string, string?> { [UpstreamOptions.BaseUrlVariable] = "http://no-such-host.invalid/v1", ["Upstream:MaxRetries"] = "0" },
            withFake: false);

        var error = (await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None)).AsT1;

        Assert.IsType<UpstreamError.ConnectionFailed>(error);
        Assert.Contains("no-such-host.invalid", error.Message);
    }

    [Fact]
    public async Task A_stream_refused_before_it_starts_is_one_error()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.OpenAiError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));

        Assert.IsType<UpstreamError.Unauthorized>(Assert.Single(items).AsT1);
    }

    [Fact]
    public async Task An_error_payload_mid_stream_ends_it_with_the_upstreams_message()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.ErrorMidStream("The server had an error while processing your request. Sorry about that!", "server_error", piecesBefore: 2));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));

        Assert.Equal(["", "One", " two"], items[..^1].Select(i => i.AsT0.ContentDelta));
        Assert.Equal(new UpstreamError.StreamFailed("The server had an error while processing your request. Sorry about that!", "server_error"), items[^1].AsT1);
    }

    [Fact]
    public async Task An_error_event_mid_stream_ends_it_too()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.ErrorMidStream("overloaded", "overloaded_error", piecesBefore: 1, asErrorEvent: true));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));

        Assert.Equal(3, items.Count);
        Assert.Equal(new UpstreamError.StreamFailed("overloaded", "overloaded_error"), items[^1].AsT1);
    }

    [Fact]
    public async Task A_connection_cut_mid_stream_ends_it_with_a_stream_failure_after_what_arrived()
    {
        // A generous idle timeout: on a loaded machine the pause before the cut must not read as silence.
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:StreamIdleTimeout"] = "00:00:10" });
        harness.Fake.Enqueue(FakeResponse.CutMidStream(piecesBefore: 3));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));

        Assert.Equal(["", "One", " two", " three"], items[..^1].Select(i => i.AsT0.ContentDelta));
        var failure = Assert.IsType<UpstreamError.StreamFailed>(items[^1].AsT1);
        Assert.Contains("cut in the middle of the stream", failure.Message);
    }

    [Fact]
    public async Task A_stream_that_goes_silent_times_out_and_is_abandoned()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:StreamIdleTimeout"] = "00:00:00.300" });
        harness.Fake.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));

        Assert.Equal(["", "One", " two"], items[..^1].Select(i => i.AsT0.ContentDelta));
        var timeout = Assert.IsType<UpstreamError.Timeout>(items[^1].AsT1);
        Assert.Contains("0.3 s", timeout.Message);
        Assert.True(await harness.Fake.WaitForAbortAsync(1, TimeSpan.FromSeconds(1)), "the upstream did not see the stream abandoned");
    }

    [Fact]
    public async Task A_slow_stream_outlasting_every_request_timeout_succeeds_while_it_keeps_talking()
    {
        // Attempt and total timeouts bound only the wait for headers: a stream may run far longer,
        // as long as no gap between events reaches the idle timeout.
        await using var harness = await StartAsync(new Dictionary<string, string?>
        {
            ["Upstream:AttemptTimeout"] = "00:00:01",
            ["Upstream:TotalTimeout"] = "00:00:01.500",
            ["Upstream:StreamIdleTimeout"] = "00:00:02",
        });
        harness.Fake.Enqueue(FakeResponse.Trickle(TimeSpan.FromMilliseconds(250)));
        var started = TimeProvider.System.GetTimestamp();

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("Say one two three four five six seven eight", stream: true), CancellationToken.None));

        Assert.True(TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(1.5), "the stream was not slow enough to prove anything");
        Assert.All(items, item => Assert.True(item.IsT0, item.IsT1 ? item.AsT1.ToString() : ""));
        Assert.Equal("One two three four five six seven eight", string.Concat(items.Select(i => i.AsT0.ContentDelta)));
        Assert.NotNull(items[^1].AsT0.Usage);
    }

    [Fact]
    public async Task An_unreadable_chunk_ends_the_stream_as_malformed()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Events(
            [new FakeSseEvent("""{"id":"c","choices":[{"index":0,"delta":{"content":"ok"}}]}"""), new FakeSseEvent("{\"id\":\"c\",\"choices\":[{")]));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));

        Assert.Equal("ok", items[0].AsT0.ContentDelta);
        Assert.IsType<UpstreamError.MalformedResponse>(items[1].AsT1);
        Assert.Equal(2, items.Count);
    }

    [Fact]
    public async Task A_stream_that_closes_before_its_finish_reason_is_a_stream_failure()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Events([new FakeSseEvent("""{"id":"c","choices":[{"index":0,"delta":{"content":"half"}}]}""")], FakeStreamEnding.Close));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));

        Assert.Equal("half", items[0].AsT0.ContentDelta);
        Assert.IsType<UpstreamError.StreamFailed>(items[1].AsT1);
    }

    [Fact]
    public async Task A_failing_model_list_is_an_error()
    {
        await using var harness = await StartAsync();
        harness.Fake.EnqueueModels(FakeResponse.OpenAiError(403, "You are not allowed to list models.", "permission_error"));

        Assert.IsType<UpstreamError.Unauthorized>((await harness.Http.ListModelsAsync(CancellationToken.None)).AsT1);
    }

    [Fact]
    public async Task An_open_circuit_fails_fast_without_calling_the_upstream()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?>
        {
            ["Upstream:MaxRetries"] = "0",
            ["Upstream:CircuitBreaker:MinimumThroughput"] = "2",
            ["Upstream:CircuitBreaker:FailureRatio"] = "0.5",
            ["Upstream:CircuitBreaker:BreakDuration"] = "00:00:30",
        });
        harness.Fake.Enqueue(FakeResponse.Status(500), FakeResponse.Status(500));

        await CompleteFailingAsync(harness);
        await CompleteFailingAsync(harness);
        var third = await CompleteFailingAsync(harness);

        Assert.Equal(503, Assert.IsType<UpstreamError.ServerError>(third).Status);
        Assert.Contains("paused", third.Message);
        Assert.Equal(2, harness.Fake.ChatRequests.Count);
    }

    [Fact]
    public async Task Rate_limits_do_not_open_the_circuit()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?>
        {
            ["Upstream:MaxRetries"] = "0",
            ["Upstream:CircuitBreaker:MinimumThroughput"] = "2",
            ["Upstream:CircuitBreaker:FailureRatio"] = "0.5",
        });
        harness.Fake.Enqueue(FakeResponse.RateLimited("0"), FakeResponse.RateLimited("0"));

        await CompleteFailingAsync(harness);
        await CompleteFailingAsync(harness);
        var third = await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);

        Assert.True(third.IsT0);
        Assert.Equal(3, harness.Fake.ChatRequests.Count);
    }

    private static int FreeClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
