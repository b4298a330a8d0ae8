using System.Buffers;

namespace Conversations.Bench.Upstream;

/// <summary>A request body read into a pooled buffer; <see cref="Return"/> gives the buffer back.</summary>
public readonly record struct RentedBody(byte[] Buffer, int Length)
{
    public ReadOnlySpan<byte> AsSpan(int start, int length) => Buffer.AsSpan(start, length);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
