using System.Net;
using System.Net.Http.Headers;

namespace Conversations.Bench.Load;

/// <summary>A body sent in fixed-size writes, as the service sends a conversation's kept history (in 64 KB blocks).</summary>
public sealed class SegmentedContent : HttpContent
{
    private readonly byte[] _body;
    private readonly int _segment;

    public SegmentedContent(byte[] body, int segment)
    {
        _body = body;
        _segment = segment;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var at = 0; at < _body.Length; at += _segment)
        {
            await stream.WriteAsync(_body.AsMemory(at, Math.Min(_segment, _body.Length - at)));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
