using System.Collections.Immutable;
using Conversations.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Conversations.Testing.FakeUpstream;

/// <summary>What the fake upstream does with one request. Build them with the static methods.</summary>
public abstract record FakeResponse
{
    private FakeResponse()
    {
    }

    /// <summary>A realistic OpenAI answer to the request (single-shot or streamed, as it asked), each stream chunk after <paramref name="ChunkDelay"/>.</summary>
    public sealed record Reply(TimeSpan ChunkDelay) : FakeResponse;

    /// <summary>What the model says, played single-shot or streamed as the request asks, each stream chunk after <paramref name="ChunkDelay"/>.</summary>
    public sealed record Scripted(FakeAnswer Said, TimeSpan ChunkDelay) : FakeResponse;

    /// <summary>A fixed status, body and headers.</summary>
    public sealed record Fixed(int StatusCode, string Body, string ContentType, ImmutableArray<KeyValuePair<string, string>> Headers) : FakeResponse;

    /// <summary>A <c>text/event-stream</c> of the given events, then <paramref name="Ending"/>.</summary>
    public sealed record Stream(ImmutableArray<FakeSseEvent> Items, FakeStreamEnding Ending) : FakeResponse;

    /// <summary>Raw bytes of an event stream, written verbatim in pieces of <paramref name="PieceSize"/> bytes (0: all at once).</summary>
    public sealed record RawStream(string Text, int PieceSize, TimeSpan PieceDelay) : FakeResponse;

    /// <summary>No headers ever: the fake waits until the client gives up.</summary>
    public sealed record Hang : FakeResponse;

    /// <summary>Anything else: the handler gets the context and the recorded request.</summary>
    public sealed record Custom(Func<HttpContext, FakeRequest, Task> Handler) : FakeResponse;

    public static FakeResponse Default { get; } = new Reply(TimeSpan.Zero);

    /// <summary>
    /// <paramref name="answer"/>, single-shot or streamed as the request asks, in OpenAI's shapes, with the
    /// request's model and, unless the answer gives its own, the fake's usage count.
    /// </summary>
    public static FakeResponse Answer(FakeAnswer answer, TimeSpan perChunk = default) => new Scripted(answer, perChunk);

    /// <summary>The model calls these tools (finish reason <c>tool_calls</c>), single-shot or streamed as asked.</summary>
    public static FakeResponse ToolCalls(params FakeToolCall[] calls) => Answer(FakeAnswer.Calls(calls));

    /// <summary>The model refuses, single-shot or streamed as asked.</summary>
    public static FakeResponse Refusal(string refusal) => Answer(FakeAnswer.Refuses(refusal));

    /// <summary>A single-shot completion saying <paramref name="content"/>, with the usage given (details included) or the fake's count.</summary>
    public static FakeResponse CompletionOf(string content, TokenUsage? usage = null, string finishReason = "stop") =>
        Json(FakeReplies.Completion(
            "chatcmpl-FakeScriptedCompletion000001", FakeReplies.FixedCreated, "gpt-4o-mini", content, usage ?? FakeReplies.UsageOf(5, content), finishReason));

    /// <summary>
    /// A stream of a tool call cut off: the role chunk, the chunk naming the call and
    /// <paramref name="argumentPiecesBefore"/> pieces of its arguments, then the connection is cut.
    /// </summary>
    public static FakeResponse CutMidToolCall(FakeToolCall call, int argumentPiecesBefore = 1) =>
        Events(
            FakeReplies.AnswerStreamEvents("chatcmpl-FakeCutToolCall000000000001", FakeReplies.FixedCreated, "gpt-4o-mini", FakeAnswer.Calls(call), includeUsage: true, FakeReplies.UsageOf(5, "x"))
                .Take(2 + argumentPiecesBefore)
                .Select(data => new FakeSseEvent(data)),
            FakeStreamEnding.Abort);

    /// <summary>The realistic reply, streamed slowly: <paramref name="perChunk"/> before each chunk.</summary>
    public static FakeResponse Trickle(TimeSpan perChunk) => new Reply(perChunk);

    public static FakeResponse Status(int status, string body = "", params (string Name, string Value)[] headers) =>
        new Fixed(status, body, body.TrimStart().StartsWith('{') ? "application/json" : "text/plain; charset=utf-8", Pairs(headers));

    public static FakeResponse Html(int status, string html) =>
        new Fixed(status, html, "text/html; charset=utf-8", []);

    public static FakeResponse Json(string body, params (string Name, string Value)[] headers) =>
        new Fixed(200, body, "application/json", Pairs(headers));

    /// <summary>OpenAI's error envelope <c>{"error":{"message","type","param","code"}}</c> with the given status.</summary>
    public static FakeResponse OpenAiError(
        int status, string message, string type, string? code = null, string? param = null, params (string Name, string Value)[] headers) =>
        new Fixed(status, FakeReplies.ErrorEnvelope(message, type, code, param), "application/json", Pairs(headers));

    /// <summary>A 429 as OpenAI sends it, with whichever of <c>retry-after</c> and <c>retry-after-ms</c> are given.</summary>
    public static FakeResponse RateLimited(string? retryAfter = null, string? retryAfterMs = null)
    {
        var headers = new List<(string, string)>();
        if (retryAfter is not null)
        {
            headers.Add(("retry-after", retryAfter));
        }

        if (retryAfterMs is not null)
        {
            headers.Add(("retry-after-ms", retryAfterMs));
        }

        headers.Add(("x-ratelimit-limit-requests", "3"));
        headers.Add(("x-ratelimit-remaining-requests", "0"));
        headers.Add(("x-ratelimit-reset-requests", "20s"));
        return OpenAiError(
            429,
            "Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
            "requests",
            "rate_limit_exceeded",
            null,
            [.. headers]);
    }

    /// <summary>A 200 whose body is cut-off JSON.</summary>
    public static FakeResponse MalformedJson { get; } = Json("""{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"role":"assis""");

    public static FakeResponse Events(IEnumerable<FakeSseEvent> events, FakeStreamEnding ending = FakeStreamEnding.Done) => new Stream([.. events], ending);

    /// <summary>
    /// A realistic stream of <paramref name="content"/> in word pieces, with finish and usage chunks (the usage
    /// given, details included, or the fake's count), then <paramref name="ending"/>.
    /// </summary>
    public static FakeResponse StreamOf(string content, FakeStreamEnding ending = FakeStreamEnding.Done, TimeSpan perChunk = default, TokenUsage? usage = null) =>
        Events(FakeReplies.StreamEvents("chatcmpl-FakeScriptedStream0000000001", FakeReplies.FixedCreated, "gpt-4o-mini", content, includeUsage: true, usage ?? FakeReplies.UsageOf(5, content))
            .Select(data => new FakeSseEvent(data, Delay: perChunk)), ending);

    /// <summary>A realistic stream of <paramref name="answer"/> (text, refusal, tool calls), with finish and usage chunks, then <paramref name="ending"/>.</summary>
    public static FakeResponse StreamOf(FakeAnswer answer, FakeStreamEnding ending = FakeStreamEnding.Done, TimeSpan perChunk = default) =>
        Events(FakeReplies.AnswerStreamEvents("chatcmpl-FakeScriptedStream0000000001", FakeReplies.FixedCreated, "gpt-4o-mini", answer, includeUsage: true, answer.Usage ?? FakeReplies.UsageOf(5, answer))
            .Select(data => new FakeSseEvent(data, Delay: perChunk)), ending);

    /// <summary>The role chunk and <paramref name="piecesBefore"/> content chunks, then an <c>error</c> payload, then the stream closes.</summary>
    public static FakeResponse ErrorMidStream(string message, string? code = "server_error", int piecesBefore = 2, bool asErrorEvent = false)
    {
        var before = FakeReplies.StreamEvents("chatcmpl-FakeErrorStream00000000000001", FakeReplies.FixedCreated, "gpt-4o-mini", "One two three four five", includeUsage: true, FakeReplies.UsageOf(5, "x"))
            .Take(1 + piecesBefore)
            .Select(data => new FakeSseEvent(data));
        var error = new FakeSseEvent(FakeReplies.ErrorEnvelope(message, "server_error", code, null), asErrorEvent ? "error" : null);
        return Events(before.Append(error), FakeStreamEnding.Close);
    }

    /// <summary>The role chunk and <paramref name="piecesBefore"/> content chunks, then the connection is cut.</summary>
    public static FakeResponse CutMidStream(int piecesBefore = 2) => PartialStream(piecesBefore, FakeStreamEnding.Abort);

    /// <summary>The role chunk and <paramref name="piecesBefore"/> content chunks, then silence until the client gives up.</summary>
    public static FakeResponse StallMidStream(int piecesBefore = 2) => PartialStream(piecesBefore, FakeStreamEnding.Hang);

    public static FakeResponse HangBeforeHeaders { get; } = new Hang();

    /// <summary>Replays a recorded event stream byte for byte (see <see cref="OpenAiSamples"/>).</summary>
    public static FakeResponse Raw(string sseText, int pieceSize = 0, TimeSpan pieceDelay = default) => new RawStream(sseText, pieceSize, pieceDelay);

    public static FakeResponse Handle(Func<HttpContext, FakeRequest, Task> handle) => new Custom(handle);

    private static FakeResponse PartialStream(int piecesBefore, FakeStreamEnding ending) =>
        Events(
            FakeReplies.StreamEvents("chatcmpl-FakePartialStream000000000001", FakeReplies.FixedCreated, "gpt-4o-mini", "One two three four five six seven", includeUsage: true, FakeReplies.UsageOf(5, "x"))
                .Take(1 + piecesBefore)
                .Select(data => new FakeSseEvent(data)),
            ending);

    private static ImmutableArray<KeyValuePair<string, string>> Pairs((string Name, string Value)[] headers) =>
        [.. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))];
}
