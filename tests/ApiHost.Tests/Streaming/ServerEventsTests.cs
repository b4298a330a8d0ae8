using System.Buffers;
using System.Net.ServerSentEvents;
using Conversations.ApiHost.Streaming;
using Conversations.Core.Errors;
using Conversations.Core.Wire;

namespace Conversations.ApiHost.Tests.Streaming;

/// <summary>
/// The one SSE writer: its events on the wire, and a kept stream framed byte for byte as the response
/// writes it, so that a replay is the stream the client first got.
/// </summary>
public sealed class ServerEventsTests
{
    public static TheoryData<string> Events => new()
    {
        "data only",
        "named",
        "relayed error event",
        "relayed default event",
        "multi-line data",
        "error envelope",
        "done",
    };

    [Theory]
    [MemberData(nameof(Events))]
    public async Task An_event_is_framed_exactly_as_the_response_writes_it(string which)
    {
        var item = Make(which);
        var written = new MemoryStream();
        await SseFormatter.WriteAsync(One(item), written, static (item, writer) => writer.Write(item.Data));
        var framed = new ArrayBufferWriter<byte>();

        ServerEvents.Frame(item, framed);

        Assert.Equal(Encoding.UTF8.GetString(written.ToArray()), Encoding.UTF8.GetString(framed.WrittenSpan));
    }

    [Fact]
    public void Events_read_as_openai_writes_them()
    {
        Assert.Equal("data: [DONE]\n\n", Framed(ServerEvents.Done));
        Assert.Equal(
            """data: {"error":{"message":"Try later.","type":"server_error","param":null,"code":"server_shutting_down"}}""" + "\n\n",
            Framed(ServerEvents.Error(new ApiError(503, "server_error", "server_shutting_down", "Try later.", null))));
        Assert.Equal(
            "event: response.output_text.delta\ndata: " + Json(Chunk) + "\n\n",
            Framed(ServerEvents.Named("response.output_text.delta", Chunk, WireJson.Api.ChunkObject)));
        Assert.Equal("event: error\ndata: {}\n\n", Framed(ServerEvents.Relayed("{}"u8.ToArray(), "error")));
        Assert.Equal("data: {}\n\n", Framed(ServerEvents.Relayed("{}"u8.ToArray(), SseParser.EventTypeDefault)));
    }

    [Fact]
    public void Only_done_is_done()
    {
        Assert.True(ServerEvents.IsDone(ServerEvents.Done));
        Assert.True(ServerEvents.IsDone(ServerEvents.Relayed("[DONE]"u8.ToArray(), SseParser.EventTypeDefault)));
        Assert.False(ServerEvents.IsDone(ServerEvents.Relayed("[DONE] "u8.ToArray(), SseParser.EventTypeDefault)));
        Assert.False(ServerEvents.IsDone(ServerEvents.Data(Chunk, WireJson.Api.ChunkObject)));
    }

    private static readonly ChunkObject Chunk = WireObjects.ContentChunk("chatcmpl-1", 1751630000, "gpt-4o-mini", "Ça 😀 \"ok\"\n");

    private static string Json(ChunkObject chunk) => JsonSerializer.Serialize(chunk, WireJson.Api.ChunkObject);

    private static SseItem<byte[]> Make(string which) => which switch
    {
        "data only" => ServerEvents.Data(Chunk, WireJson.Api.ChunkObject),
        "named" => ServerEvents.Named("response.output_text.delta", Chunk, WireJson.Api.ChunkObject),
        "relayed error event" => ServerEvents.Relayed("""{"error":{"message":"Overloaded."}}"""u8.ToArray(), "error"),
        "relayed default event" => ServerEvents.Relayed("""{"id":"chatcmpl-1"}"""u8.ToArray(), SseParser.EventTypeDefault),
        "multi-line data" => ServerEvents.Relayed("line one\nline two\r\nline three\rlast\r"u8.ToArray(), SseParser.EventTypeDefault),
        "error envelope" => ServerEvents.Error(ApiErrors.ShuttingDown()),
        "done" => ServerEvents.Done,
        _ => throw new ArgumentOutOfRangeException(nameof(which), which, null),
    };

    private static string Framed(SseItem<byte[]> item)
    {
        var framed = new ArrayBufferWriter<byte>();
        ServerEvents.Frame(item, framed);
        return Encoding.UTF8.GetString(framed.WrittenSpan);
    }

    private static async IAsyncEnumerable<SseItem<byte[]>> One(SseItem<byte[]> item)
    {
        await Task.Yield();
        yield return item;
    }
}
