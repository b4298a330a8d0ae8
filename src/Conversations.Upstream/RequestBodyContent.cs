using System.Net;
using System.Net.Http.Headers;
using Conversations.Core.Upstream;

namespace Conversations.Upstream;

/// <summary>
/// A Chat Completions request body sent as its parts (head, the prepared messages' segments, tail)
/// straight to the connection, never gathered into one array: a long conversation's history is
/// written from the bytes the conversation keeps. Sendable again, for retries.
/// </summary>
internal sealed class RequestBodyContent : HttpContent
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly byte[] _head;
    private readonly PreparedMessages _messages;
    private readonly byte[] _tail;

    private RequestBodyContent(byte[] head, PreparedMessages messages, byte[] tail)
    {
        _head = head;
        _messages = messages;
        _tail = tail;
        Headers.ContentType = Json;
    }

    public static HttpContent For(UpstreamChatRequest request, string maxTokensField)
    {
        if (request.MessagesJson is { } prepared)
        {
            return new RequestBodyContent(UpstreamRequestJson.Head(request), prepared, UpstreamRequestJson.Tail(request, maxTokensField));
        }

        var whole = new ByteArrayContent(UpstreamRequestJson.ToUtf8Bytes(request, maxTokensField));
        whole.Headers.ContentType = Json;
        return whole;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_head, cancellationToken).ConfigureAwait(false);
        foreach (var segment in _messages.Segments)
        {
            await stream.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
        }

        await stream.WriteAsync(_tail, cancellationToken).ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = _head.Length + _messages.Length + _tail.Length;
        return true;
    }
}
