using System.Threading.Channels;
using Conversations.ApiHost.Errors;

namespace Conversations.ApiHost.Tests.Resilience;

/// <summary>
/// A single-shot turn whose call was lost with its silo must not keep the client waiting for the call's
/// 30-minute timeout: the host checks that the grain is still answering it and gives up with a cluster
/// failure (503) after two checks in a row find it is not. The checks here come when the test says so.
/// </summary>
public sealed class WatchedCallTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_call_answered_before_the_first_check_returns_its_answer_unchecked()
    {
        var watch = new Watch(Array.Empty<bool>());

        var answer = await watch.Start(Task.FromResult(42));

        Assert.Equal(42, answer);
        Assert.Equal(0, watch.Checks);
    }

    [Fact]
    public async Task Two_checks_in_a_row_that_find_the_call_unanswered_end_it_as_lost_and_cancel_it()
    {
        var watch = new Watch(false, false);
        var call = new TaskCompletionSource<int>();

        var run = watch.Start(call.Task);
        await watch.CheckNow();
        await watch.CheckNow();

        await Assert.ThrowsAsync<SiloUnavailableException>(() => run.WaitAsync(Wait));
        Assert.True(watch.CallToken.IsCancellationRequested, "the lost call was not cancelled");
        Assert.Equal(2, watch.Checks);
    }

    [Fact]
    public async Task A_miss_followed_by_an_answer_keeps_waiting_for_the_reply()
    {
        var watch = new Watch(false, true, false, true);
        var call = new TaskCompletionSource<int>();

        var run = watch.Start(call.Task);
        for (var i = 0; i < 4; i++)
        {
            await watch.CheckNow();
        }

        // Two misses, but never two in a row: the reply is still awaited.
        call.SetResult(7);
        Assert.Equal(7, await run.WaitAsync(Wait));
        Assert.False(watch.CallToken.IsCancellationRequested);
    }

    [Fact]
    public async Task A_check_that_fails_or_does_not_answer_in_time_says_nothing_either_way()
    {
        var watch = new Watch(
            _ => Task.FromResult(false),
            _ => Task.FromException<bool>(new SiloUnavailableException()),
            _ => new TaskCompletionSource<bool>().Task,
            _ => Task.FromResult(false));
        var call = new TaskCompletionSource<int>();

        var run = watch.Start(call.Task);
        for (var i = 0; i < 3; i++)
        {
            await watch.CheckNow();
        }

        // One "no", then two checks that could not tell: still waiting, and the next "no" is the second in a row.
        Assert.False(run.IsCompleted);
        await watch.CheckNow();
        await Assert.ThrowsAsync<SiloUnavailableException>(() => run.WaitAsync(Wait));
        Assert.Equal(4, watch.Checks);
    }

    [Fact]
    public async Task A_client_that_goes_away_cancels_the_call()
    {
        var watch = new Watch(Array.Empty<bool>());
        using var aborted = new CancellationTokenSource();
        var call = new TaskCompletionSource<int>();

        var run = watch.Start(call.Task, aborted.Token);
        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Wait));
        Assert.True(watch.CallToken.IsCancellationRequested);
    }

    /// <summary>One watched call: its checks answer in order, each when <see cref="CheckNow"/> lets it come.</summary>
    private sealed class Watch
    {
        private readonly Queue<Func<CancellationToken, Task<bool>>> _answers;
        private readonly Channel<bool> _due = Channel.CreateUnbounded<bool>();
        private readonly Channel<bool> _asked = Channel.CreateUnbounded<bool>();

        public Watch(params bool[] answers) : this([.. answers.Select(a => (Func<CancellationToken, Task<bool>>)(_ => Task.FromResult(a)))])
        {
        }

        public Watch(params Func<CancellationToken, Task<bool>>[] answers) => _answers = new(answers);

        public int Checks { get; private set; }

        public CancellationToken CallToken { get; private set; }

        public Task<int> Start(Task<int> reply, CancellationToken aborted = default) =>
            WatchedCall.Run(
                token =>
                {
                    CallToken = token;
                    return reply.WaitAsync(token);
                },
                token =>
                {
                    Checks++;
                    _asked.Writer.TryWrite(true);
                    return _answers.Dequeue()(token);
                },
                token => _due.Reader.ReadAsync(token).AsTask(),
                TimeSpan.FromMilliseconds(200),
                aborted);

        /// <summary>Lets the next check come, and waits until the grain was asked.</summary>
        public async Task CheckNow()
        {
            _due.Writer.TryWrite(true);
            await _asked.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        }
    }
}
