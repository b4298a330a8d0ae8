using System.Buffers;
using Conversations.Core.Upstream;
using OneOf;

namespace Conversations.Upstream;

/// <summary>
/// Reads an upstream's whole (not streamed) answer once its headers are in, under one set of limits for
/// every caller: at most <see cref="MaxBytes"/>; never a gap longer than the idle timeout between two
/// pieces (each piece that arrives restarts it, so a large answer arriving steadily is never cut); and a
/// connection cut before the end is an <see cref="UpstreamError"/>, like every other failure. Only
/// cancellation by the caller throws.
/// </summary>
public static class UpstreamBody
{
    /// <summary>Answers larger than this are refused rather than buffered: no chat completion comes near it.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>An announced length up to this is allocated before a byte arrives; beyond it, the answer is gathered as it comes.</summary>
    public const int MaxPreallocatedBytes = 1024 * 1024;

    private const int PieceBytes = 16 * 1024;

    /// <summary>The answer's bytes, exactly as sent, or why they could not all be read.</summary>
    public static async Task<OneOf<byte[], UpstreamError>> ReadAsync(
        HttpResponseMessage response, TimeSpan idleTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        using var idle = new CancellationTokenSource(idleTimeout, time);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(reading.Token).ConfigureAwait(false);
            // The announced length frames the body only without chunked encoding (beside it, it means
            // nothing), and is taken on trust only up to a size worth allocating before a byte arrives.
            return response.Content.Headers.ContentLength is { } length and <= MaxPreallocatedBytes && response.Headers.TransferEncodingChunked != true
                ? await ReadKnownLengthAsync(body, (int)length, idle, idleTimeout, reading.Token).ConfigureAwait(false)
                : await ReadUnknownLengthAsync(body, idle, idleTimeout, reading.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new UpstreamError.Timeout($"The upstream sent its headers but then nothing for {idleTimeout.TotalSeconds:0.###} s.");
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return Cut();
        }
    }

    /// <summary>Straight into an array of the announced size: the usual case, and the cheapest.</summary>
    private static async Task<OneOf<byte[], UpstreamError>> ReadKnownLengthAsync(
        Stream body, int length, CancellationTokenSource idle, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var whole = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var read = await body.ReadAsync(whole.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return Cut();
            }

            filled += read;
            idle.CancelAfter(idleTimeout);
        }

        return whole;
    }

    /// <summary>An answer of unknown (or untrusted) length, gathered through a pooled buffer.</summary>
    private static async Task<OneOf<byte[], UpstreamError>> ReadUnknownLengthAsync(
        Stream body, CancellationTokenSource idle, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        using var gathered = new MemoryStream();
        var piece = ArrayPool<byte>.Shared.Rent(PieceBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(piece, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (gathered.Length + read > MaxBytes)
                {
                    return TooLarge();
                }

                gathered.Write(piece, 0, read);
                idle.CancelAfter(idleTimeout);
            }

            return gathered.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
        }
    }

    private static UpstreamError TooLarge() => new UpstreamError.MalformedResponse($"The answer is larger than {MaxBytes} bytes.");

    private static UpstreamError Cut() => new UpstreamError.ConnectionFailed("The connection to the upstream was cut while it was sending its answer.");
}
