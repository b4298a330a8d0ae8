using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conversations.Core.Errors;
using Conversations.Core.Wire;

namespace Conversations.ApiHost.Streaming;

/// <summary>
/// The service's one SSE writer: every server-sent event any route writes is made here, and a sequence of
/// them becomes the HTTP answer only through <see cref="Stream"/>. Events carry their data as UTF-8 bytes,
/// so an upstream's event goes out exactly as it came and JSON is serialized once, straight to bytes.
/// </summary>
public static class ServerEvents
{
    private static readonly byte[] DoneData = "[DONE]"u8.ToArray();

    /// <summary><c>data: [DONE]</c>, Chat Completions' last event (the Responses API sends none).</summary>
    public static SseItem<byte[]> Done { get; } = new(DoneData);

    /// <summary>A data-only event: <c>data: {json}</c>.</summary>
    public static SseItem<byte[]> Data<T>(T value, JsonTypeInfo<T> type) => new(JsonSerializer.SerializeToUtf8Bytes(value, type));

    /// <summary>A named event: <c>event: {type}</c>, then <c>data: {json}</c>.</summary>
    public static SseItem<byte[]> Named<T>(string eventType, T value, JsonTypeInfo<T> type) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, type), eventType);

    /// <summary>
    /// A failure after the stream began, when there is no status line left to set: OpenAI's envelope,
    /// <c>data: {"error":{…}}</c>, which the SDKs raise as the error it describes.
    /// </summary>
    public static SseItem<byte[]> Error(ApiError error) => Data(WireObjects.Error(error), WireJson.Api.ErrorEnvelope);

    /// <summary>An upstream's event passed on as it came: its data untouched, its type kept unless it is the default.</summary>
    public static SseItem<byte[]> Relayed(byte[] data, string eventType) =>
        new(data, eventType == SseParser.EventTypeDefault ? null : eventType);

    public static bool IsDone(SseItem<byte[]> item) => item.Data.AsSpan().SequenceEqual(DoneData);

    /// <summary>
    /// An event's bytes exactly as <see cref="Stream"/> writes them (the framing of
    /// <see cref="SseFormatter"/>), for a stream kept to be answered again byte for byte. Only events made
    /// here are framed: none has the default type set explicitly, which the formatter would write out.
    /// </summary>
    public static void Frame(SseItem<byte[]> item, IBufferWriter<byte> destination)
    {
        if (item.EventType != SseParser.EventTypeDefault)
        {
            destination.Write("event: "u8);
            destination.Write(Encoding.UTF8.GetBytes(item.EventType));
            destination.Write("\n"u8);
        }

        // One data line per line of the data, whichever line break it uses.
        ReadOnlySpan<byte> rest = item.Data;
        while (true)
        {
            destination.Write("data: "u8);
            var lineBreak = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (lineBreak < 0)
            {
                destination.Write(rest);
                break;
            }

            destination.Write(rest[..lineBreak]);
            destination.Write("\n"u8);
            rest = rest[lineBreak..] is [(byte)'\r', (byte)'\n', ..] ? rest[(lineBreak + 2)..] : rest[(lineBreak + 1)..];
        }

        destination.Write("\n\n"u8);
    }

    /// <summary>
    /// The HTTP answer that streams <paramref name="events"/>, holding the caller's stream slot until the
    /// stream ends (or the response does, if it is never read), and counted among the open streams meanwhile.
    /// </summary>
    public static IResult Stream(IAsyncEnumerable<SseItem<byte[]>> events, StreamSlot slot, HttpResponse response) =>
        TypedResults.ServerSentEvents(slot.Holding(Metrics.ApiMetrics.CountedStream(events, response.HttpContext), response));

    /// <summary>
    /// The HTTP answer that streams <paramref name="events"/> holding none of the caller's stream slots: what it
    /// follows holds one of its own (a response running in the background), however many follow it.
    /// </summary>
    public static IResult Stream(IAsyncEnumerable<SseItem<byte[]>> events, HttpResponse response) =>
        TypedResults.ServerSentEvents(Metrics.ApiMetrics.CountedStream(events, response.HttpContext));
}
