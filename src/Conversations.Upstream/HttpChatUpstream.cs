using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Messages;
using Conversations.Core.Upstream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneOf;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Conversations.Upstream;

/// <summary>
/// An OpenAI-compatible upstream over HTTP. Requests go through the named client
/// <see cref="HttpClientName"/>, whose resilience handler retries and times out everything up to the
/// response headers; what comes after (a reply body, a stream) is bounded by
/// <see cref="UpstreamOptions.StreamIdleTimeout"/>. Every failure comes back as an <see cref="UpstreamError"/>;
/// only cancellation by the caller throws.
/// </summary>
public sealed partial class HttpChatUpstream(
    IHttpClientFactory clients,
    IOptions<UpstreamOptions> options,
    ITokenCounter tokens,
    TimeProvider time,
    ILogger<HttpChatUpstream> logger) : IChatUpstream
{
    public const string HttpClientName = "Conversations.Upstream";

    private const int MaxErrorBodyBytes = 64 * 1024;

    private UpstreamOptions Options => options.Value;

    private Uri? _chatCompletions;

    public async Task<OneOf<ChatCompletion, UpstreamError>> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken)
    {
        var sent = await SendAsync(HttpMethod.Post, "chat/completions", request with { Stream = false }, cancellationToken).ConfigureAwait(false);
        if (sent.TryPickT1(out var refused, out var response))
        {
            return refused;
        }

        using (response)
        {
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            if (body.TryPickT1(out var unread, out var bytes))
            {
                return Failed("chat completion", unread);
            }

            var parsed = ChatCompletionParser.ParseCompletion(bytes);
            if (parsed.TryPickT1(out var malformed, out var completion))
            {
                return Failed("chat completion", malformed);
            }

            return completion.Usage == TokenUsage.Zero ? WithEstimatedUsage(request, completion) : completion;
        }
    }

    public async IAsyncEnumerable<OneOf<ChatCompletionChunk, UpstreamError>> StreamAsync(
        UpstreamChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sent = await SendAsync(HttpMethod.Post, "chat/completions", request with { Stream = true }, cancellationToken).ConfigureAwait(false);
        if (sent.TryPickT1(out var refused, out var response))
        {
            yield return refused;
            yield break;
        }

        using (response)
        {
            if (!IsEventStream(response))
            {
                // Some servers ignore "stream": true and answer with one whole completion; it is passed on as chunks.
                foreach (var item in await WholeReplyAsChunksAsync(request, response, cancellationToken).ConfigureAwait(false))
                {
                    yield return item;
                }

                yield break;
            }

            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(Options.StreamIdleTimeout);
            var opened = await OpenBodyAsync(response, idle, cancellationToken).ConfigureAwait(false);
            if (opened.TryPickT1(out var unopened, out var body))
            {
                yield return Failed("chat completion stream", unopened);
                yield break;
            }

            var events = SseParser.Create(body, ReadEvent).EnumerateAsync(idle.Token).GetAsyncEnumerator(idle.Token);
            var finished = false;
            try
            {
                while (true)
                {
                    idle.CancelAfter(Options.StreamIdleTimeout);
                    var next = await NextEventAsync(events, idle, cancellationToken).ConfigureAwait(false);
                    if (next.TryPickT1(out var broken, out var streamEvent))
                    {
                        yield return Failed("chat completion stream", broken);
                        yield break;
                    }

                    switch (streamEvent.Kind)
                    {
                        case StreamEventKind.Chunk:
                            finished |= streamEvent.Chunk!.FinishReason.Length > 0;
                            yield return streamEvent.Chunk;
                            break;
                        case StreamEventKind.Failure:
                            yield return Failed("chat completion stream", streamEvent.Error!);
                            yield break;
                        case StreamEventKind.Done:
                            yield break;
                        case StreamEventKind.Ended:
                            if (!finished)
                            {
                                yield return Failed(
                                    "chat completion stream",
                                    new UpstreamError.StreamFailed("The upstream ended the stream before the reply was finished.", null));
                            }

                            yield break;
                    }
                }
            }
            finally
            {
                await DisposeQuietlyAsync(events).ConfigureAwait(false);
            }
        }
    }

    public async Task<OneOf<ImmutableArray<ModelInfo>, UpstreamError>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var sent = await SendAsync(HttpMethod.Get, "models", null, cancellationToken).ConfigureAwait(false);
        if (sent.TryPickT1(out var refused, out var response))
        {
            return refused;
        }

        using (response)
        {
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            if (body.TryPickT1(out var unread, out var bytes))
            {
                return Failed("model list", unread);
            }

            var parsed = ChatCompletionParser.ParseModels(bytes);
            return parsed.TryPickT1(out var malformed, out var models) ? Failed("model list", malformed) : models;
        }
    }

    /// <summary>
    /// Sends one request through the resilient client and returns the response once its headers are in,
    /// or the error its status or failure names. The response is the caller's to dispose.
    /// </summary>
    private async Task<OneOf<HttpResponseMessage, UpstreamError>> SendAsync(
        HttpMethod method, string path, UpstreamChatRequest? request, CancellationToken cancellationToken)
    {
        var url = path == "chat/completions" ? _chatCompletions ??= UpstreamHttp.Endpoint(Options, path) : UpstreamHttp.Endpoint(Options, path);
        var message = new HttpRequestMessage(method, url);
        if (request is not null)
        {
            message.Content = RequestBodyContent.For(request, Options.MaxTokensParameter);
            // Reused by every retry of this call, so an upstream that supports it runs the request at most once.
            message.Headers.TryAddWithoutValidation("Idempotency-Key", $"conversations-{Guid.NewGuid():N}");
        }

        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(request?.Stream == true ? "text/event-stream" : "application/json"));
        UpstreamHttp.Sign(Options, message);

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName)
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && Describe(exception) is { } error)
        {
            return Failed(Operation(path), error, exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return Failed(Operation(path), UpstreamErrors.FromHttp(status, body, UpstreamResilience.AskedWait(response, time)));
        }
    }

    private Task<OneOf<byte[], UpstreamError>> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        UpstreamBody.ReadAsync(response, Options.StreamIdleTimeout, time, cancellationToken);

    /// <summary>As much of an error body as helps explain it; nothing if it cannot be read in time.</summary>
    private async Task<byte[]> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(Options.StreamIdleTimeout);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBodyBytes];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), idle.Token).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            return buffer[..filled];
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            return [];
        }
    }

    private async Task<OneOf<Stream, UpstreamError>> OpenBodyAsync(HttpResponseMessage response, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && StreamFailure(exception, idle) is { } error)
        {
            return error;
        }
    }

    private async Task<OneOf<StreamEvent, UpstreamError>> NextEventAsync(
        IAsyncEnumerator<SseItem<StreamEvent>> events, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        try
        {
            while (await events.MoveNextAsync().ConfigureAwait(false))
            {
                if (events.Current.Data.Kind != StreamEventKind.Skip)
                {
                    return events.Current.Data;
                }

                idle.CancelAfter(Options.StreamIdleTimeout);
            }

            return StreamEvent.End;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && StreamFailure(exception, idle) is { } error)
        {
            return error;
        }
    }

    private UpstreamError? StreamFailure(Exception exception, CancellationTokenSource idle) => exception switch
    {
        OperationCanceledException when idle.IsCancellationRequested =>
            new UpstreamError.Timeout($"The upstream sent nothing for {Seconds(Options.StreamIdleTimeout)} in the middle of a stream."),
        IOException or HttpRequestException =>
            new UpstreamError.StreamFailed("The connection to the upstream was cut in the middle of the stream.", null),
        _ => null,
    };

    private async Task<IReadOnlyList<OneOf<ChatCompletionChunk, UpstreamError>>> WholeReplyAsChunksAsync(
        UpstreamChatRequest request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        if (body.TryPickT1(out var unread, out var bytes))
        {
            return [Failed("chat completion stream", unread)];
        }

        var parsed = ChatCompletionParser.ParseCompletion(bytes);
        if (parsed.TryPickT1(out var malformed, out var completion))
        {
            return [Failed("chat completion stream", malformed)];
        }

        if (completion.Usage == TokenUsage.Zero)
        {
            completion = WithEstimatedUsage(request, completion);
        }

        return [.. ChatCompletionChunk.FromCompletion(completion)];
    }

    private ChatCompletion WithEstimatedUsage(UpstreamChatRequest request, ChatCompletion completion)
    {
        LogUsageEstimated(logger, completion.Model);
        return completion with
        {
            Usage = new TokenUsage(
                PromptTokens.Count(request, tokens.Count),
                tokens.Count(completion.Content) + completion.ToolCalls.Sum(call => tokens.Count(call.Name) + tokens.Count(call.Arguments))),
        };
    }

    private static bool IsEventStream(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is not { } mediaType
        || !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>One SSE event's data, read as it arrives; <c>[DONE]</c> ends the stream and <c>event: error</c> fails it.</summary>
    private static StreamEvent ReadEvent(string eventType, ReadOnlySpan<byte> data)
    {
        var trimmed = data.Trim(" \t\r\n"u8);
        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            return StreamEvent.Done;
        }

        if (eventType == "error")
        {
            var envelope = UpstreamErrors.ReadEnvelope(trimmed);
            var text = envelope?.Message ?? (trimmed.IsEmpty ? "The upstream reported an error in the middle of the stream." : Encoding.UTF8.GetString(trimmed));
            return StreamEvent.Failed(new UpstreamError.StreamFailed(text, envelope?.Code));
        }

        if (eventType != "message" || trimmed.IsEmpty)
        {
            return StreamEvent.Skip;
        }

        var parsed = ChatCompletionParser.ParseChunk(trimmed);
        return parsed.TryPickT0(out var chunk, out var error) ? StreamEvent.Of(chunk) : StreamEvent.Failed(error);
    }

    /// <summary>Names a failure to reach the upstream; null for exceptions that are not about the upstream.</summary>
    private UpstreamError? Describe(Exception exception) => exception switch
    {
        BrokenCircuitException => new UpstreamError.ServerError(
            $"The upstream at {Authority} has been failing, so requests to it are paused for a few seconds.", 503),
        TimeoutRejectedException timeout => new UpstreamError.Timeout(
            $"The upstream at {Authority} did not answer within {Seconds(timeout.Timeout)}."),
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => new UpstreamError.ConnectionFailed(
            $"The upstream host in {UpstreamOptions.BaseUrlVariable} ({Authority}) could not be found."),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => new UpstreamError.ConnectionFailed(
            $"Could not connect to the upstream at {Authority}."),
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => new UpstreamError.ConnectionFailed(
            $"Could not set up a secure (TLS) connection to the upstream at {Authority}."),
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => new UpstreamError.MalformedResponse(
            $"The upstream at {Authority} answered with something that is not HTTP."),
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => new UpstreamError.ConnectionFailed(
            $"The upstream at {Authority} closed the connection without answering."),
        HttpRequestException => new UpstreamError.ConnectionFailed($"The request to the upstream at {Authority} failed."),
        OperationCanceledException => new UpstreamError.Timeout($"Connecting to the upstream at {Authority} timed out."),
        IOException => new UpstreamError.ConnectionFailed($"The connection to the upstream at {Authority} failed."),
        _ => null,
    };

    private string Authority => Uri.TryCreate(Options.BaseUrl, UriKind.Absolute, out var uri) ? uri.Authority : "(invalid base URL)";

    private static string Operation(string path) => path == "models" ? "model list" : "chat completion";

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.###} s";

    private UpstreamError Failed(string operation, UpstreamError error, Exception? exception = null)
    {
        // An upstream may quote what it was sent; the provider key never leaves in an error.
        if (Options.ApiKey is { Length: >= 8 } key && error.Message.Contains(key, StringComparison.Ordinal))
        {
            error = error with { Message = error.Message.Replace(key, "[redacted]", StringComparison.Ordinal) };
        }

        LogUpstreamFailed(logger, operation, error.GetType().Name, error.Message, exception?.GetType().Name);
        return error;
    }

    private static async ValueTask DisposeQuietlyAsync(IAsyncDisposable disposable)
    {
        try
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException)
        {
            // The stream is being abandoned; how its last read ended no longer matters.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Operation} failed ({ErrorKind}): {ErrorMessage} {ExceptionType}")]
    private static partial void LogUpstreamFailed(ILogger logger, string operation, string errorKind, string errorMessage, string? exceptionType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The upstream reported no usage for a {Model} reply; the tokens were counted locally.")]
    private static partial void LogUsageEstimated(ILogger logger, string model);

    private enum StreamEventKind
    {
        Skip,
        Chunk,
        Failure,
        Done,
        Ended,
    }

    private readonly record struct StreamEvent(StreamEventKind Kind, ChatCompletionChunk? Chunk, UpstreamError? Error)
    {
        public static readonly StreamEvent Skip = new(StreamEventKind.Skip, null, null);
        public static readonly StreamEvent Done = new(StreamEventKind.Done, null, null);
        public static readonly StreamEvent End = new(StreamEventKind.Ended, null, null);

        public static StreamEvent Of(ChatCompletionChunk chunk) => new(StreamEventKind.Chunk, chunk, null);

        public static StreamEvent Failed(UpstreamError error) => new(StreamEventKind.Failure, null, error);
    }
}
