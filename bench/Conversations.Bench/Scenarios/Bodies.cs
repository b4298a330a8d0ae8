using System.Text;
using System.Text.Json;

namespace Conversations.Bench.Scenarios;

/// <summary>The request bodies the benchmark sends, built once.</summary>
public static class Bodies
{
    public static readonly byte[] Chat = Encoding.UTF8.GetBytes(
        """{"model":"bench-model","messages":[{"role":"user","content":"Say this is a test!"}]}""");

    public static readonly byte[] Turn = Encoding.UTF8.GetBytes("""{"content":"Say this is a test!"}""");

    public static readonly byte[] CreateConversation = Encoding.UTF8.GetBytes("""{"settings":{"model":"bench-model"}}""");

    /// <summary>A streamed stateless request whose newest message carries <paramref name="marker"/>.</summary>
    public static byte[] ChatStream(string marker) => Encoding.UTF8.GetBytes(
        $$"""{"model":"bench-model","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Tell me a story @@{{marker}}@@"}]}""");

    public static byte[] TurnStream(string marker) => Encoding.UTF8.GetBytes(
        $$"""{"content":"Tell me a story @@{{marker}}@@","stream":true}""");

    /// <summary>The text of history message <paramref name="index"/> (about 60 characters).</summary>
    public static string HistoryText(int index) =>
        $"History message {index}: the quick brown fox jumps over the lazy dog.";

    /// <summary>
    /// A direct request carrying the same messages a conversation with <paramref name="history"/> stored
    /// messages sends upstream, so a direct call and a turn move the same bytes to the upstream.
    /// </summary>
    public static byte[] ChatWithHistory(int history)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", "bench-model");
            writer.WriteStartArray("messages");
            for (var i = 0; i < history; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("role", i % 2 == 0 ? "user" : "assistant");
                writer.WriteString("content", HistoryText(i));
                writer.WriteEndObject();
            }

            writer.WriteStartObject();
            writer.WriteString("role", "user");
            writer.WriteString("content", "Say this is a test!");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
