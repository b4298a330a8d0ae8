using Conversations.Core.Messages;
using Conversations.Testing.FakeUpstream;
using Microsoft.AspNetCore.Http;

namespace Conversations.Grains.Tests.Harness;

/// <summary>
/// A scripted upstream answer that is held part-way until the test releases it, so a test can act while a
/// turn is provably still running. A stream sends its role chunk and the first pieces of
/// <see cref="Content"/>, then waits; a single-shot reply waits before sending anything.
/// </summary>
internal sealed class HeldReply
{
    public const string Model = "gpt-4o-mini-2024-07-18";

    private readonly TaskCompletionSource<FakeRequest> _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _piecesBeforeHold;
    private readonly string? _errorAfterHold;
    private readonly bool _beforeHeaders;

    private HeldReply(string content, int piecesBeforeHold, string? errorAfterHold = null, bool beforeHeaders = false)
    {
        _beforeHeaders = beforeHeaders;
        Content = content;
        _piecesBeforeHold = piecesBeforeHold;
        _errorAfterHold = errorAfterHold;
        Response = FakeResponse.Handle(HandleAsync);
    }

    public string Content { get; }

    public IReadOnlyList<string> Pieces => FakeReplies.Pieces(Content);

    /// <summary>The content sent before the hold.</summary>
    public string ContentBeforeHold => string.Concat(Pieces.Take(_piecesBeforeHold));

    /// <summary>The usage the upstream reports for the whole reply.</summary>
    public TokenUsage Usage => new(7, Pieces.Count);

    public FakeResponse Response { get; }

    /// <summary>Completes when the upstream request has arrived (and, for a stream, the first pieces are sent).</summary>
    public Task<FakeRequest> Arrived => _arrived.Task;

    public bool IsReleased => _release.Task.IsCompleted;

    /// <summary>A stream that sends <paramref name="piecesBeforeHold"/> pieces of <paramref name="content"/>, then waits.</summary>
    public static HeldReply Stream(string content, int piecesBeforeHold) => new(content, piecesBeforeHold);

    /// <summary>A stream that sends <paramref name="piecesBeforeHold"/> pieces, waits, then fails with an <c>error</c> payload and closes.</summary>
    public static HeldReply StreamThenError(string content, int piecesBeforeHold, string error) => new(content, piecesBeforeHold, error);

    /// <summary>Waits before sending even the response headers, single-shot or streamed; then answers realistically.</summary>
    public static HeldReply BeforeHeaders(string content) => new(content, 0, beforeHeaders: true);

    /// <summary>A single-shot reply that waits before answering at all.</summary>
    public static HeldReply SingleShot(string content) => new(content, 0);

    public void Release() => _release.TrySetResult();

    private async Task HandleAsync(HttpContext context, FakeRequest request)
    {
        var streamed = request.Json.TryGetProperty("stream", out var stream) && stream.ValueKind == System.Text.Json.JsonValueKind.True;
        if (!streamed || _beforeHeaders)
        {
            _arrived.TrySetResult(request);
            await _release.Task.WaitAsync(context.RequestAborted);
            if (streamed)
            {
                context.Response.ContentType = "text/event-stream; charset=utf-8";
                foreach (var data in FakeReplies.StreamEvents("chatcmpl-HeldStream00000000000000000001", FakeReplies.FixedCreated, Model, Content, includeUsage: true, Usage))
                {
                    await WriteEventAsync(context, data);
                }

                await WriteEventAsync(context, "[DONE]");
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                FakeReplies.Completion("chatcmpl-HeldSingleShot000000000000001", FakeReplies.FixedCreated, Model, Content, Usage),
                context.RequestAborted);
            return;
        }

        var events = FakeReplies.StreamEvents("chatcmpl-HeldStream00000000000000000001", FakeReplies.FixedCreated, Model, Content, includeUsage: true, Usage).ToList();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        // The role chunk, then the pieces before the hold.
        var sentBeforeHold = 1 + _piecesBeforeHold;
        foreach (var data in events.Take(sentBeforeHold))
        {
            await WriteEventAsync(context, data);
        }

        _arrived.TrySetResult(request);
        await _release.Task.WaitAsync(context.RequestAborted);
        if (_errorAfterHold is not null)
        {
            await WriteEventAsync(context, FakeReplies.ErrorEnvelope(_errorAfterHold, "server_error", "server_error", null));
            return;
        }

        foreach (var data in events.Skip(sentBeforeHold))
        {
            await WriteEventAsync(context, data);
        }

        await WriteEventAsync(context, "[DONE]");
    }

    private static async Task WriteEventAsync(HttpContext context, string data)
    {
        await context.Response.WriteAsync($"data: {data}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
