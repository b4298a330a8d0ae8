using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Conversations.Core.Responses;

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

    /// <summary>
    /// One message object as it appears in the <c>messages</c> array: <c>{"role":…,"content":…}</c> for a
    /// text-only message, and beyond that, in this order, <c>tool_call_id</c> after the role, <c>content</c>
    /// as an array of parts (or <c>null</c> for an assistant message that has only tool calls or a
    /// refusal), <c>refusal</c> and <c>tool_calls</c>.
    /// </summary>
    public static void WriteMessage(IBufferWriter<byte> output, UpstreamMessage message)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("role"u8, message.Role);
        if (message.ToolCallId is { } callId)
        {
            writer.WriteString("tool_call_id"u8, callId);
        }

        if (!message.Parts.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("content"u8);
            foreach (var part in message.Parts)
            {
                WritePart(writer, part);
            }

            writer.WriteEndArray();
        }
        else if (message.Content.Length == 0 && (!message.ToolCalls.IsDefaultOrEmpty || message.Refusal is not null))
        {
            // OpenAI's own shape for a message without text; an empty string trips some compatible servers.
            writer.WriteNull("content"u8);
        }
        else
        {
            writer.WriteString("content"u8, message.Content);
        }

        if (message.Refusal is { } refusal)
        {
            writer.WriteString("refusal"u8, refusal);
        }

        if (!message.ToolCalls.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("tool_calls"u8);
            foreach (var call in message.ToolCalls)
            {
                writer.WriteStartObject();
                writer.WriteString("id"u8, call.Id);
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, call.Name);
                writer.WriteString("arguments"u8, call.Arguments);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WritePart(Utf8JsonWriter writer, UpstreamContentPart part)
    {
        writer.WriteStartObject();
        switch (part)
        {
            case UpstreamContentPart.Text text:
                writer.WriteString("type"u8, "text"u8);
                writer.WriteString("text"u8, text.Value);
                break;
            case UpstreamContentPart.ImageUrl image:
                writer.WriteString("type"u8, "image_url"u8);
                writer.WriteStartObject("image_url"u8);
                writer.WriteString("url"u8, image.Url);
                if (!string.IsNullOrEmpty(image.Detail))
                {
                    writer.WriteString("detail"u8, image.Detail);
                }

                writer.WriteEndObject();
                break;
            case UpstreamContentPart.File file:
                writer.WriteString("type"u8, "file"u8);
                writer.WriteStartObject("file"u8);
                writer.WriteString("file_data"u8, file.FileData);
                if (!string.IsNullOrEmpty(file.Filename))
                {
                    writer.WriteString("filename"u8, file.Filename);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(part), part, "A content part the upstream has no form for.");
        }

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

            WriteResponseSettings(writer, request);

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

    /// <summary>
    /// The fields a Responses request maps onto: tools (with their choice and parallelism), the response
    /// format, the reasoning effort and the bookkeeping identifiers. Schemas and parameters are the
    /// client's JSON, written as it is (the writer still checks it is one JSON value).
    /// </summary>
    private static void WriteResponseSettings(Utf8JsonWriter writer, UpstreamChatRequest request)
    {
        if (!request.Tools.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("tools"u8);
            foreach (var tool in request.Tools)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, tool.Name);
                if (tool.Description is { } description)
                {
                    writer.WriteString("description"u8, description);
                }

                if (tool.ParametersJson is { } parameters)
                {
                    writer.WritePropertyName("parameters"u8);
                    writer.WriteRawValue(parameters);
                }

                if (tool.Strict is { } strict)
                {
                    writer.WriteBoolean("strict"u8, strict);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            switch (request.ToolChoice)
            {
                case ToolChoice.Mode mode:
                    writer.WriteString("tool_choice"u8, mode.Name);
                    break;
                case ToolChoice.Function function:
                    writer.WriteStartObject("tool_choice"u8);
                    writer.WriteString("type"u8, "function"u8);
                    writer.WriteStartObject("function"u8);
                    writer.WriteString("name"u8, function.Name);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;
            }

            if (request.ParallelToolCalls is { } parallel)
            {
                writer.WriteBoolean("parallel_tool_calls"u8, parallel);
            }
        }

        switch (request.ResponseFormat)
        {
            case TextFormat.JsonObject:
                writer.WriteStartObject("response_format"u8);
                writer.WriteString("type"u8, "json_object"u8);
                writer.WriteEndObject();
                break;
            case TextFormat.JsonSchema schema:
                writer.WriteStartObject("response_format"u8);
                writer.WriteString("type"u8, "json_schema"u8);
                writer.WriteStartObject("json_schema"u8);
                writer.WriteString("name"u8, schema.Name);
                if (schema.Description is { } description)
                {
                    writer.WriteString("description"u8, description);
                }

                writer.WritePropertyName("schema"u8);
                writer.WriteRawValue(schema.SchemaJson);
                if (schema.Strict is { } strict)
                {
                    writer.WriteBoolean("strict"u8, strict);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }

        WriteIfSet(writer, "reasoning_effort"u8, request.ReasoningEffort);
        WriteIfSet(writer, "user"u8, request.User);
        WriteIfSet(writer, "safety_identifier"u8, request.SafetyIdentifier);
        WriteIfSet(writer, "prompt_cache_key"u8, request.PromptCacheKey);
    }

    private static void WriteIfSet(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
