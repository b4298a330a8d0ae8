using System.Buffers.Text;
using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace Conversations.Bench.Load;

/// <summary>
/// Sends one streamed request and reads its events as they arrive. Each content chunk from the bench
/// upstream reads <c>{marker}.{index}@{timestamp} </c>: the probe checks the marker is this stream's and
/// the indexes run 0, 1, 2, … without a gap, and takes the chunk's delay from the timestamp. It reads
/// Chat Completions chunks (the text in <c>content</c>, ending with <c>[DONE]</c>) and Responses events
/// (the text in <c>delta</c>, ending with <c>response.completed</c>, whose response id it keeps).
/// </summary>
public static class StreamProbe
{
    public static async Task<StreamOutcome> RunAsync(HttpClient client, Uri url, byte[] body, string? key, string marker, int expectedChunks)
    {
        var sent = Stopwatch.GetTimestamp();
        using var request = BenchClient.Post(url, body, key, stream: true);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            return new StreamOutcome(false, double.NaN, [], $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync();
        var markerBytes = Encoding.UTF8.GetBytes(marker);
        var delays = new List<double>(expectedChunks);
        var firstToken = double.NaN;
        long firstTokenWrittenAt = 0;
        var next = 0;
        var done = false;
        string? problem = null;
        string? responseId = null;
        await foreach (var item in SseParser.Create(stream, (_, data) => Read(data, markerBytes)).EnumerateAsync())
        {
            var chunk = item.Data;
            if (chunk.Done)
            {
                done = true;
                responseId = chunk.ResponseId;
                break;
            }

            if (chunk.Problem is not null)
            {
                problem ??= chunk.Problem;
                continue;
            }

            if (chunk.Index < 0)
            {
                continue;
            }

            if (double.IsNaN(firstToken))
            {
                firstToken = Stopwatch.GetElapsedTime(sent, chunk.ArrivedAt).TotalMilliseconds;
                firstTokenWrittenAt = chunk.WrittenAt;
            }

            if (chunk.Index != next)
            {
                problem ??= $"chunk {chunk.Index} arrived where {next} was due";
            }

            next = chunk.Index + 1;
            delays.Add(Stopwatch.GetElapsedTime(chunk.WrittenAt, chunk.ArrivedAt).TotalMilliseconds);
        }

        if (problem is null && next != expectedChunks)
        {
            problem = $"{next} of {expectedChunks} chunks arrived";
        }

        if (problem is null && !done)
        {
            problem = "the stream ended without [DONE] or response.completed";
        }

        return new StreamOutcome(problem is null, firstToken, [.. delays], problem, sent, firstTokenWrittenAt) { ResponseId = responseId };
    }

    private readonly record struct Chunk(int Index, long WrittenAt, long ArrivedAt, bool Done, string? Problem, string? ResponseId = null);

    private static Chunk Read(ReadOnlySpan<byte> data, byte[] marker)
    {
        var arrived = Stopwatch.GetTimestamp();
        if (data.SequenceEqual("[DONE]"u8))
        {
            return new Chunk(-1, 0, arrived, true, null);
        }

        if (data.StartsWith("{\"type\":\"response.completed\""u8))
        {
            // Read after the last chunk, so the parse is outside every figure.
            using var completed = JsonDocument.Parse(data.ToArray());
            return new Chunk(-1, 0, arrived, true, null, completed.RootElement.GetProperty("response").GetProperty("id").GetString());
        }

        if (data.StartsWith("{\"error\""u8) || data.StartsWith("{\"type\":\"error\""u8) || data.StartsWith("{\"type\":\"response.failed\""u8))
        {
            return new Chunk(-1, 0, arrived, false, "error event: " + Encoding.UTF8.GetString(data));
        }

        var reader = new Utf8JsonReader(data);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || !(reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("delta"u8)))
            {
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                continue;
            }

            var content = reader.ValueSpan;
            if (content.Length == 0)
            {
                continue;
            }

            // {marker}.{index}@{timestamp}<space>
            if (!content.StartsWith(marker) || content.Length <= marker.Length || content[marker.Length] != (byte)'.')
            {
                return new Chunk(-1, 0, arrived, false, "a chunk of another stream: " + Encoding.UTF8.GetString(content));
            }

            var rest = content[(marker.Length + 1)..];
            if (!Utf8Parser.TryParse(rest, out int index, out var consumed) || rest[consumed] != (byte)'@'
                || !Utf8Parser.TryParse(rest[(consumed + 1)..], out long written, out _))
            {
                return new Chunk(-1, 0, arrived, false, "an unreadable chunk: " + Encoding.UTF8.GetString(content));
            }

            return new Chunk(index, written, arrived, false, null);
        }

        return new Chunk(-1, 0, arrived, false, null);
    }
}
