using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conversations.Bench.Upstream;

/// <summary>
/// A deliberately cheap OpenAI-compatible upstream on a loopback Kestrel port: canned
/// <c>chat.completion</c> bytes, or an SSE stream of <see cref="StreamChunks"/> chunks
/// <see cref="ChunkDelay"/> apart (the first at once). It records nothing, so it costs the same whether the service or
/// the benchmark calls it.
/// <para>
/// Each streamed chunk's content is <c>{marker}.{index}@{timestamp} </c>: the marker is taken from
/// the last <c>@@marker@@</c> in the request body (the caller's newest message), the timestamp is
/// <see cref="Stopwatch.GetTimestamp"/> when the chunk was written. The caller checks every stream for
/// lost or reordered chunks and measures each chunk's delay from it.
/// </para>
/// </summary>
public sealed class BenchUpstream : IAsyncDisposable
{
    public const string Model = "bench-model";

    private static readonly byte[] Completion =
        """{"id":"chatcmpl-bench","object":"chat.completion","created":1764000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"This is a benchmark reply.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18}}"""u8.ToArray();

    private static readonly byte[] Models =
        """{"object":"list","data":[{"id":"bench-model","object":"model","created":1764000000,"owned_by":"bench"}]}"""u8.ToArray();

    private static readonly byte[] ChunkHead = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""u8.ToArray();
    private static readonly byte[] ChunkTail = "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"u8.ToArray();
    private static readonly byte[] RoleChunk = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"u8.ToArray();
    private static readonly byte[] FinishChunk = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n"u8.ToArray();
    private static readonly byte[] UsageChunk = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"bench-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":50,\"total_tokens\":62}}\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private readonly WebApplication _app;
    private int _openStreams;
    private int _peakStreams;

    private BenchUpstream(WebApplication app)
    {
        _app = app;
    }

    /// <summary>What to configure as <c>OPENAI_BASE_URL</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The full chat completions address, for direct calls.</summary>
    public Uri ChatUrl => new(BaseUrl + "/chat/completions");

    public int StreamChunks { get; set; } = 20;

    public TimeSpan ChunkDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The most streams that were open at once since <see cref="ResetPeak"/>.</summary>
    public int PeakStreams => Volatile.Read(ref _peakStreams);

    public void ResetPeak() => Volatile.Write(ref _peakStreams, Volatile.Read(ref _openStreams));

    public static async Task<BenchUpstream> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddRouting();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var upstream = new BenchUpstream(app);
        app.Run(upstream.Handle);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        upstream.BaseUrl = address.TrimEnd('/') + "/v1";
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// When each stream's request reached the upstream, by marker, while <see cref="RecordArrivals"/> is on:
    /// splits a stream's time to first token into the way in, the upstream's own time and the way back.
    /// </summary>
    public ConcurrentDictionary<string, long> Arrivals { get; } = new();

    public bool RecordArrivals { get; set; }

    private async Task Handle(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await Write(context.Response, "application/json", Models);
            return;
        }

        var body = await ReadBody(context.Request);
        try
        {
            context.Response.Headers["x-request-id"] = "req_bench";
            if (body.AsSpan(0, body.Length).IndexOf("\"stream\":true"u8) < 0)
            {
                await Write(context.Response, "application/json", Completion);
                return;
            }

            var marker = Marker(body.AsSpan(0, body.Length));
            if (RecordArrivals)
            {
                Arrivals[Encoding.UTF8.GetString(marker)] = arrived;
            }

            await Stream(context, marker);
        }
        finally
        {
            body.Return();
        }
    }

    private async Task Stream(HttpContext context, byte[] marker)
    {
        var open = Interlocked.Increment(ref _openStreams);
        int peak;
        while (open > (peak = Volatile.Read(ref _peakStreams)) && Interlocked.CompareExchange(ref _peakStreams, open, peak) != peak)
        {
        }

        try
        {
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            var aborted = context.RequestAborted;
            var output = response.BodyWriter;
            output.Write(RoleChunk);
            await output.FlushAsync(aborted);
            var chunks = StreamChunks;
            var delay = ChunkDelay;
            for (var i = 0; i < chunks; i++)
            {
                // The first token comes at once, so time to first token measures the relay, not a timer.
                if (delay > TimeSpan.Zero && i > 0)
                {
                    await Task.Delay(delay, aborted);
                }

                WriteChunk(output, marker, i);
                await output.FlushAsync(aborted);
            }

            output.Write(FinishChunk);
            output.Write(UsageChunk);
            output.Write(Done);
            await output.FlushAsync(aborted);
        }
        catch (OperationCanceledException)
        {
            // The caller went away.
        }
        finally
        {
            Interlocked.Decrement(ref _openStreams);
        }
    }

    private static void WriteChunk(IBufferWriter<byte> output, byte[] marker, int index)
    {
        output.Write(ChunkHead);
        var span = output.GetSpan(marker.Length + 48);
        marker.CopyTo(span);
        var at = marker.Length;
        span[at++] = (byte)'.';
        Utf8Formatter.TryFormat(index, span[at..], out var written);
        at += written;
        span[at++] = (byte)'@';
        Utf8Formatter.TryFormat(Stopwatch.GetTimestamp(), span[at..], out written);
        at += written;
        span[at++] = (byte)' ';
        output.Advance(at);
        output.Write(ChunkTail);
    }

    /// <summary>The text between the last pair of <c>@@</c> in the body (the newest message's marker), or <c>x</c>.</summary>
    private static byte[] Marker(ReadOnlySpan<byte> body)
    {
        var end = body.LastIndexOf("@@"u8);
        if (end <= 0)
        {
            return "x"u8.ToArray();
        }

        var start = body[..end].LastIndexOf("@@"u8);
        return start < 0 ? "x"u8.ToArray() : body[(start + 2)..end].ToArray();
    }

    private static async Task Write(HttpResponse response, string contentType, byte[] body)
    {
        response.StatusCode = 200;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    private static async Task<RentedBody> ReadBody(HttpRequest request)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 256, 64 * 1024 * 1024) + 1);
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, filled).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(filled));
            if (read == 0)
            {
                return new RentedBody(buffer, filled);
            }

            filled += read;
        }
    }
}
