using Conversations.Core.Upstream;
using Conversations.Testing.FakeUpstream;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

public sealed class HttpChatUpstreamRetryTests
{
    [Fact]
    public async Task A_rate_limit_then_success_is_retried_once_and_succeeds()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.RateLimited(retryAfter: "0"));

        var completion = await harness.Http.CompleteAsync(Ask("Say retried"), CancellationToken.None);

        Assert.Equal("Retried", completion.AsT0.Content);
        Assert.Equal(2, harness.Fake.ChatRequests.Count);
    }

    [Fact]
    public async Task A_server_error_then_success_is_retried_once_and_succeeds()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.OpenAiError(500, "The server had an error while processing your request.", "server_error"));

        var completion = await harness.Http.CompleteAsync(Ask("Say retried"), CancellationToken.None);

        Assert.Equal("Retried", completion.AsT0.Content);
        Assert.Equal(2, harness.Fake.ChatRequests.Count);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Other_transient_statuses_are_retried(int status)
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Status(status));

        Assert.True((await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None)).IsT0);
        Assert.Equal(2, harness.Fake.ChatRequests.Count);
    }

    [Fact]
    public async Task A_server_that_keeps_failing_is_tried_once_plus_the_retries_then_reported()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:MaxRetries"] = "3" });
        harness.Fake.Enqueue(Enumerable.Repeat(FakeResponse.OpenAiError(500, "still broken", "server_error"), 10).ToArray());

        var error = (await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None)).AsT1;

        Assert.Equal(new UpstreamError.ServerError("still broken", 500), error);
        Assert.Equal(1 + 3, harness.Fake.ChatRequests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(501)]
    public async Task Failures_another_attempt_cannot_fix_are_not_retried(int status)
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Status(status));

        Assert.True((await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None)).IsT1);
        Assert.Single(harness.Fake.ChatRequests);
    }

    [Fact]
    public async Task The_upstream_saying_not_to_retry_is_obeyed()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Status(503, "", ("x-should-retry", "false")));

        Assert.True((await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None)).IsT1);
        Assert.Single(harness.Fake.ChatRequests);
    }

    [Fact]
    public async Task The_upstream_saying_to_retry_is_obeyed_even_for_a_status_that_is_not_usually_retried()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Status(409, "", ("x-should-retry", "true")));

        Assert.True((await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None)).IsT0);
        Assert.Equal(2, harness.Fake.ChatRequests.Count);
    }

    [Fact]
    public async Task The_wait_in_retry_after_ms_is_honoured()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.RateLimited(retryAfterMs: "400", retryAfter: "0"));

        await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);

        var requests = harness.Fake.ChatRequests;
        Assert.Equal(2, requests.Count);
        Assert.True(Gap(requests) >= TimeSpan.FromMilliseconds(380), $"retried after {Gap(requests).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task The_wait_in_retry_after_seconds_is_honoured()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.RateLimited(retryAfter: "0.5"));

        await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);

        var requests = harness.Fake.ChatRequests;
        Assert.Equal(2, requests.Count);
        Assert.True(Gap(requests) >= TimeSpan.FromMilliseconds(480), $"retried after {Gap(requests).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task The_wait_in_an_http_date_is_honoured()
    {
        await using var harness = await StartAsync();
        // HTTP dates have whole seconds, so the wait is between 1 and 2 seconds.
        harness.Fake.Enqueue(FakeResponse.RateLimited(retryAfter: DateTimeOffset.UtcNow.AddSeconds(2).ToString("r")));

        await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);

        var requests = harness.Fake.ChatRequests;
        Assert.Equal(2, requests.Count);
        Assert.True(Gap(requests) >= TimeSpan.FromMilliseconds(900), $"retried after {Gap(requests).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_connection_dropped_before_the_answer_is_retried()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Handle((context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        }));

        var completion = await harness.Http.CompleteAsync(Ask("Say again"), CancellationToken.None);

        Assert.Equal("Again", completion.AsT0.Content);
        Assert.Equal(2, harness.Fake.ChatRequests.Count);
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried()
    {
        // Long enough that the second attempt is never cut short on a busy machine.
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:AttemptTimeout"] = "00:00:01" });
        harness.Fake.Enqueue(FakeResponse.HangBeforeHeaders);

        var completion = await harness.Http.CompleteAsync(Ask("Say patience"), CancellationToken.None);

        Assert.Equal("Patience", completion.AsT0.Content);
        Assert.Equal(2, harness.Fake.ChatRequests.Count);
        Assert.True(harness.Fake.ChatRequests[0].WasAborted);
    }

    [Fact]
    public async Task Retries_of_one_call_reuse_its_idempotency_key_and_body()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Status(500), FakeResponse.Status(503));

        await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);

        var requests = harness.Fake.ChatRequests;
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.Header("Idempotency-Key")).Distinct());
        Assert.Single(requests.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task A_stream_is_retried_before_it_starts()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Status(502));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("Say streamed", stream: true), CancellationToken.None));

        Assert.Equal("Streamed", string.Concat(items.Select(i => i.AsT0.ContentDelta)));
        Assert.Equal(2, harness.Fake.ChatRequests.Count);
    }

    [Fact]
    public async Task A_stream_cut_after_it_started_is_not_retried()
    {
        // A generous idle timeout: on a loaded machine the pause before the cut must not read as silence.
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:StreamIdleTimeout"] = "00:00:10" });
        harness.Fake.Enqueue(FakeResponse.CutMidStream(piecesBefore: 1));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));

        Assert.IsType<UpstreamError.StreamFailed>(items[^1].AsT1);
        Assert.Single(harness.Fake.ChatRequests);
    }

    [Fact]
    public async Task No_retries_when_retrying_is_turned_off()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:MaxRetries"] = "0" });
        harness.Fake.Enqueue(FakeResponse.Status(503));

        Assert.Equal(503, Assert.IsType<UpstreamError.ServerError>((await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None)).AsT1).Status);
        Assert.Single(harness.Fake.ChatRequests);
    }

    /// <summary>From the end of the first attempt's answer to the arrival of the second.</summary>
    private static TimeSpan Gap(IReadOnlyList<FakeRequest> requests) => requests[1].ArrivedAt - requests[0].ArrivedAt;
}
