using Conversations.Testing.FakeUpstream;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

/// <summary>A caller who gives up must free the upstream at once: the upstream sees its connection close.</summary>
public sealed class HttpChatUpstreamCancellationTests
{
    private static readonly TimeSpan AbortDeadline = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Cancelling_a_stream_mid_way_throws_and_aborts_the_upstream_request()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:StreamIdleTimeout"] = "00:00:30" });
        harness.Fake.Enqueue(FakeResponse.Trickle(TimeSpan.FromMilliseconds(500)));
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in harness.Http.StreamAsync(Ask("Say a long story with many words", stream: true), cancellation.Token))
            {
                Assert.True(item.IsT0);
                if (++received == 2)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal(2, received);
        Assert.True(await harness.Fake.WaitForAbortAsync(1, AbortDeadline), "the upstream did not see the stream abandoned");
    }

    [Fact]
    public async Task Cancelling_while_waiting_for_the_next_chunk_aborts_the_upstream_request()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:StreamIdleTimeout"] = "00:00:30" });
        harness.Fake.Enqueue(FakeResponse.StallMidStream(piecesBefore: 1));
        using var cancellation = new CancellationTokenSource();
        var stream = harness.Http.StreamAsync(Ask("hi", stream: true), cancellation.Token).GetAsyncEnumerator();

        Assert.True(await stream.MoveNextAsync());
        Assert.True(await stream.MoveNextAsync());
        var waiting = stream.MoveNextAsync().AsTask();
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await stream.DisposeAsync();
        Assert.True(await harness.Fake.WaitForAbortAsync(1, AbortDeadline), "the upstream did not see the stream abandoned");
    }

    [Fact]
    public async Task Leaving_a_stream_early_aborts_the_upstream_request()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:StreamIdleTimeout"] = "00:00:30" });
        harness.Fake.Enqueue(FakeResponse.Trickle(TimeSpan.FromMilliseconds(300)));

        await foreach (var item in harness.Http.StreamAsync(Ask("Say many words come slowly here", stream: true), CancellationToken.None))
        {
            if (item.AsT0.ContentDelta.Length > 0)
            {
                break;
            }
        }

        Assert.True(await harness.Fake.WaitForAbortAsync(1, AbortDeadline), "the upstream did not see the stream abandoned");
    }

    [Fact]
    public async Task Cancelling_a_single_shot_request_before_the_answer_throws_and_aborts_it()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.HangBeforeHeaders);
        using var cancellation = new CancellationTokenSource();

        var call = harness.Http.CompleteAsync(Ask("hi"), cancellation.Token);
        await harness.Fake.WaitForRequestAsync(1, TimeSpan.FromSeconds(5));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await harness.Fake.WaitForAbortAsync(1, AbortDeadline), "the upstream did not see the request abandoned");
        Assert.Single(harness.Fake.ChatRequests);
    }

    [Fact]
    public async Task Cancelling_a_stream_before_its_headers_throws_and_aborts_it()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.HangBeforeHeaders);
        using var cancellation = new CancellationTokenSource();

        var reading = CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), cancellation.Token));
        await harness.Fake.WaitForRequestAsync(1, TimeSpan.FromSeconds(5));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.True(await harness.Fake.WaitForAbortAsync(1, AbortDeadline), "the upstream did not see the request abandoned");
    }

    [Fact]
    public async Task Cancelling_during_a_retry_wait_stops_without_another_attempt()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.RateLimited(retryAfter: "2"));
        using var cancellation = new CancellationTokenSource();

        var call = harness.Http.CompleteAsync(Ask("hi"), cancellation.Token);
        var first = await harness.Fake.WaitForRequestAsync(1, TimeSpan.FromSeconds(5));
        await first.Finished;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(harness.Fake.ChatRequests);
    }
}
