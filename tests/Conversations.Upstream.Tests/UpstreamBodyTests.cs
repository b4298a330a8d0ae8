using System.Net;
using System.Text;
using System.Threading.Channels;
using Conversations.Core.Upstream;
using Conversations.Testing.FakeUpstream;
using Conversations.Testing.Polling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using OneOf;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

/// <summary>
/// The one reader of whole upstream answers: the bytes exactly as sent, a size cap, an idle timeout that
/// each arriving piece restarts, and a cut connection as an error. The clock is a fake one, moved only
/// while the reader waits for the next piece.
/// </summary>
public sealed class UpstreamBodyTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    private static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-Body0001","object":"chat.completion","created":1756890217,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Read whole."},"finish_reason":"stop"}],"usage":{"prompt_tokens":8,"completion_tokens":3,"total_tokens":11}}""");

    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_answer_arriving_in_pieces_comes_back_byte_for_byte(bool announced)
    {
        var body = new PacedBody();
        using var response = Answer(body, announced ? Completion.Length : null);
        var reading = Read(response);

        foreach (var piece in Completion.Chunk(37))
        {
            body.Send(piece);
        }

        body.End();
        Assert.Equal(Completion, (await reading).AsT0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Each_piece_restarts_the_idle_timeout_so_a_slow_steady_answer_is_read_whole(bool announced)
    {
        var body = new PacedBody();
        using var response = Answer(body, announced ? Completion.Length : null);
        var reading = Read(response);

        // Nine tenths of the idle timeout between pieces, five times over: far longer than the timeout in all.
        foreach (var piece in Completion.Chunk(Completion.Length / 5 + 1))
        {
            await body.ReaderWaits();
            _time.Advance(Idle * 0.9);
            body.Send(piece);
        }

        body.End();
        Assert.Equal(Completion, (await reading).AsT0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_that_stalls_for_the_idle_timeout_is_a_timeout(bool announced)
    {
        var body = new PacedBody();
        using var response = Answer(body, announced ? Completion.Length : null);
        var reading = Read(response);
        body.Send(Completion[..20]);
        await body.ReaderWaits();

        _time.Advance(Idle - TimeSpan.FromMilliseconds(1));
        Assert.False(reading.IsCompleted, "the read gave up before the idle timeout");
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var timeout = Assert.IsType<UpstreamError.Timeout>((await reading).AsT1);
        Assert.Contains("nothing for 10 s", timeout.Message);
    }

    [Fact]
    public async Task A_connection_cut_before_the_announced_length_is_a_connection_failure()
    {
        var body = new PacedBody();
        using var response = Answer(body, Completion.Length);
        var reading = Read(response);

        body.Send(Completion[..20]);
        body.End();

        var cut = Assert.IsType<UpstreamError.ConnectionFailed>((await reading).AsT1);
        Assert.Contains("cut", cut.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_connection_that_breaks_mid_answer_is_a_connection_failure(bool announced)
    {
        var body = new PacedBody();
        using var response = Answer(body, announced ? Completion.Length : null);
        var reading = Read(response);

        body.Send(Completion[..20]);
        body.Break(new IOException("The response ended prematurely."));

        Assert.IsType<UpstreamError.ConnectionFailed>((await reading).AsT1);
    }

    [Fact]
    public async Task An_announced_length_over_the_cap_is_refused_before_reading_a_byte()
    {
        var body = new PacedBody();
        using var response = Answer(body, UpstreamBody.MaxBytes + 1L);

        var refused = Assert.IsType<UpstreamError.MalformedResponse>((await Read(response)).AsT1);

        Assert.Contains($"larger than {UpstreamBody.MaxBytes} bytes", refused.Message);
        Assert.Equal(0, body.Reads);
    }

    [Fact]
    public async Task An_answer_without_a_length_that_grows_past_the_cap_is_refused()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new EndlessBody()) };

        var refused = Assert.IsType<UpstreamError.MalformedResponse>((await Read(response)).AsT1);

        Assert.Contains($"larger than {UpstreamBody.MaxBytes} bytes", refused.Message);
    }

    [Fact]
    public async Task A_chunked_answer_beside_a_contradicting_length_is_read_by_its_chunks()
    {
        var body = new PacedBody();
        using var response = Answer(body, 5);
        response.Headers.TransferEncodingChunked = true;
        var reading = Read(response);

        body.Send(Completion);
        body.End();

        Assert.Equal(Completion, (await reading).AsT0);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_throws_rather_than_reporting_an_upstream_failure()
    {
        var body = new PacedBody();
        using var response = Answer(body, Completion.Length);
        using var caller = new CancellationTokenSource();
        var reading = UpstreamBody.ReadAsync(response, Idle, _time, caller.Token);
        await body.ReaderWaits();

        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
    }

    [Fact]
    public async Task A_single_shot_completion_trickling_in_for_longer_than_the_idle_timeout_is_read_whole()
    {
        // Before the one reader, a single-shot reply had the idle timeout as a deadline for its whole body.
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Upstream:StreamIdleTimeout"] = "00:00:02" });
        harness.Fake.Enqueue(FakeResponse.Handle(async (context, _) =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = Completion.Length;
            foreach (var piece in Completion.Chunk(Completion.Length / 12 + 1))
            {
                await context.Response.Body.WriteAsync(piece, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(TimeSpan.FromMilliseconds(250), context.RequestAborted);
            }
        }));
        var started = TimeProvider.System.GetTimestamp();

        var reply = await harness.Http.CompleteAsync(Ask("hi"), CancellationToken.None);

        Assert.True(TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(2), "the reply was not slow enough to prove anything");
        Assert.True(reply.IsT0, reply.IsT1 ? reply.AsT1.ToString() : "");
        Assert.Equal("Read whole.", reply.AsT0.Content);
    }

    private Task<OneOf<byte[], UpstreamError>> Read(HttpResponseMessage response) =>
        UpstreamBody.ReadAsync(response, Idle, _time, CancellationToken.None);

    private static HttpResponseMessage Answer(Stream body, long? length)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        response.Content.Headers.ContentLength = length;
        return response;
    }

    /// <summary>A response body the test feeds piece by piece, telling it whenever the reader waits for more.</summary>
    private sealed class PacedBody : Stream
    {
        private readonly Channel<Func<byte[]>> _pieces = Channel.CreateUnbounded<Func<byte[]>>();
        private byte[] _current = [];
        private int _offset;

        // How often the reader has waited for a piece, in all and as of the last piece sent: it waits for
        // the next one once it has taken everything sent (a wait begun before a send ends with it).
        private int _waits;
        private int _waitsWhenLastSent;

        public int Reads { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Send(byte[] piece) => Enqueue(() => piece);

        public void End() => Enqueue(() => []);

        public void Break(Exception exception) => Enqueue(() => throw exception);

        private void Enqueue(Func<byte[]> piece)
        {
            _waitsWhenLastSent = Volatile.Read(ref _waits);
            _pieces.Writer.TryWrite(piece);
        }

        /// <summary>Until the reader has taken everything sent and waits for the next piece.</summary>
        public Task ReaderWaits() =>
            Eventually.Holds(() => Task.FromResult(Volatile.Read(ref _waits)), waits => waits > _waitsWhenLastSent, "The reader coming back for more");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            if (_offset == _current.Length)
            {
                if (!_pieces.Reader.TryRead(out var next))
                {
                    Interlocked.Increment(ref _waits);
                    next = await _pieces.Reader.ReadAsync(cancellationToken);
                }

                _current = next();
                _offset = 0;
                if (_current.Length == 0)
                {
                    return 0;
                }
            }

            var count = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsMemory(_offset, count).CopyTo(buffer);
            _offset += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A body that never ends, a megabyte per read.</summary>
    private sealed class EndlessBody : Stream
    {
        private static readonly byte[] Megabyte = new byte[1024 * 1024];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var length = Math.Min(count, Megabyte.Length);
            Megabyte.AsSpan(0, length).CopyTo(buffer.AsSpan(offset));
            return length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var length = Math.Min(buffer.Length, Megabyte.Length);
            Megabyte.AsMemory(0, length).CopyTo(buffer);
            return ValueTask.FromResult(length);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
