using System.Net.Http.Headers;
using Conversations.Core.Upstream;
using Microsoft.Extensions.Options;
using OneOf;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Conversations.Upstream;

/// <summary>
/// Sends a client's own Chat Completions body to the upstream as it is, for the stateless route. The
/// same resilient client as the conversations' (retries, timeouts, circuit breaker up to the response
/// headers); the response is handed back whole, whatever its status, for the caller to relay.
/// </summary>
public sealed class UpstreamRelay(IHttpClientFactory clients, IOptions<UpstreamOptions> options)
{
    private Uri? _chatCompletions;

    /// <summary>
    /// The upstream's response once its headers are in (the caller disposes it), or the error that
    /// kept it from answering at all (unreachable, timed out, circuit open).
    /// </summary>
    public async Task<OneOf<HttpResponseMessage, UpstreamError>> SendChatAsync(ReadOnlyMemory<byte> body, bool stream, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, _chatCompletions ??= UpstreamHttp.Endpoint(options.Value, "chat/completions"))
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));
        UpstreamHttp.Sign(options.Value, message);
        try
        {
            return await clients.CreateClient(HttpChatUpstream.HttpClientName)
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return exception switch
            {
                TimeoutRejectedException => new UpstreamError.Timeout("The upstream did not answer in time."),
                BrokenCircuitException => new UpstreamError.ConnectionFailed("The upstream has been failing; calls to it are paused for a moment."),
                HttpRequestException or IOException => new UpstreamError.ConnectionFailed("Could not connect to the upstream."),
                _ => throw new InvalidOperationException("The upstream call failed unexpectedly.", exception),
            };
        }
    }
}
