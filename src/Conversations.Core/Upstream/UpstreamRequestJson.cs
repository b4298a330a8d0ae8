using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Conversations.Core.Upstream;

/// <summary>
/// The JSON body of a Chat Completions request. It is written in three parts: the head up to the
/// opening bracket of <c>messages</c>, the messages (comma-separated objects), and the tail from the
/// closing bracket on. A request that carries its messages already written
/// (<see cref="UpstreamChatRequest.MessagesJson"/>) is sent as head, those bytes, tail, with the same
/// bytes as if they were written here.
/// </summary>
public static class UpstreamRequestJson
{
    // The body goes to an API, never into HTML, so text is kept as written rather than \u-escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <c>model</c>, <c>messages</c>, the sampling settings that are set (and no others, so the
    /// upstream's defaults apply) and, for a stream, <c>stream</c> with <c>stream_options.include_usage</c>
    /// so the last chunk reports the tokens used.
    /// </summary>
    /// <param name="maxTokensField">
    /// The name the upstream wants for the token cap: <c>max_tokens</c> (understood everywhere), or
    /// <c>max_completion_tokens</c> (which OpenAI's reasoning models require).
    /// </param>
    public static void Write(IBufferWriter<byte> output, UpstreamChatRequest request, string maxTokensField = MaxTokensField)
    {
        output.Write(Head(request));
        if (request.MessagesJson is { } prepared)
        {
            foreach (var segment in prepared.Segments)
            {
                output.Write(segment.Span);
            }
        }
        else
        {
            for (var i = 0; i < request.Messages.Length; i++)
            {
                if (i > 0)
                {
                    output.Write(","u8);
                }

                WriteMessage(output, request.Messages[i]);
            }
        }

        output.Write(Tail(request, maxTokensField));
    }

    public const string MaxTokensField = "max_tokens";

    public const string MaxCompletionTokensField = "max_completion_tokens";

    public static byte[] ToUtf8Bytes(UpstreamChatRequest request, string maxTokensField = MaxTokensField)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, request, maxTokensField);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One message object, <c>{"role":…,"content":…}</c>, as it appears in the <c>messages</c> array.</summary>
    public static void WriteMessage(IBufferWriter<byte> output, UpstreamMessage message)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("role"u8, message.Role);
        writer.WriteString("content"u8, message.Content);
        writer.WriteEndObject();
    }

    /// <summary><c>{"model":…,"messages":[</c></summary>
    public static byte[] Head(UpstreamChatRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, request.Model);
            writer.WriteStartArray("messages"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>]</c>, the settings that are set, the stream options, <c>}</c>.</summary>
    public static byte[] Tail(UpstreamChatRequest request, string maxTokensField = MaxTokensField)
    {
        // Written as the fields of an object of their own, whose opening brace is then dropped: the
        // writer puts the separators exactly where it would in the whole body.
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (request.Temperature is { } temperature)
            {
                writer.WriteNumber("temperature"u8, temperature);
            }

            if (request.TopP is { } topP)
            {
                writer.WriteNumber("top_p"u8, topP);
            }

            if (request.MaxTokens is { } maxTokens)
            {
                writer.WriteNumber(maxTokensField, maxTokens);
            }

            if (request.Stream)
            {
                writer.WriteBoolean("stream"u8, true);
                writer.WriteStartObject("stream_options"u8);
                writer.WriteBoolean("include_usage"u8, true);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        var fields = buffer.WrittenSpan[1..];
        return fields.Length == 1 ? "]}"u8.ToArray() : [.. "],"u8, .. fields];
    }
}
