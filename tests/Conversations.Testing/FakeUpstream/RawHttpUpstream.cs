using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Conversations.Testing.FakeUpstream;

/// <summary>
/// An upstream that answers every request with the same bytes, written to the socket as they are: for
/// answers no well-behaved HTTP server would send (framing headers that contradict each other), which
/// <see cref="FakeOpenAiServer"/>'s Kestrel refuses to produce.
/// </summary>
public sealed class RawHttpUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly byte[] _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    private RawHttpUpstream(string response)
    {
        _response = Encoding.UTF8.GetBytes(response);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _serving = ServeAsync();
    }

    /// <summary>The API root to configure as <c>OPENAI_BASE_URL</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1";

    /// <summary>Starts answering with <paramref name="response"/>: status line, headers and body, CRLFs included.</summary>
    public static RawHttpUpstream Answering(string response) => new(response);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = AnswerAsync(socket);
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        using (socket)
        await using (var stream = new NetworkStream(socket))
        {
            try
            {
                await ReadRequestAsync(stream);
                await stream.WriteAsync(_response, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    /// <summary>Reads the head and a Content-Length body, so the answer never races the request.</summary>
    private async Task ReadRequestAsync(Stream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfBlankLine(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                throw new IOException("The request ended before its headers did.");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString([.. received.Take(headEnd)]);
        var length = head.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var bodyRead = received.Count - (headEnd + 4);
        while (bodyRead < length)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                throw new IOException("The request ended before its body did.");
            }

            bodyRead += read;
        }
    }

    private static int IndexOfBlankLine(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
