using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Conversations.Core.Upstream;

/// <summary>The JSON body of a Chat Completions request.</summary>
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
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("model"u8, request.Model);
        writer.WriteStartArray("messages"u8);
        foreach (var message in request.Messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, message.Role);
            writer.WriteString("content"u8, message.Content);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
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

    public const string MaxTokensField = "max_tokens";

    public const string MaxCompletionTokensField = "max_completion_tokens";

    public static byte[] ToUtf8Bytes(UpstreamChatRequest request, string maxTokensField = MaxTokensField)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, request, maxTokensField);
        return buffer.WrittenSpan.ToArray();
    }
}
