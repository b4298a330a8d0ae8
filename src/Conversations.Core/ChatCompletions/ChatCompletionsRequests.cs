using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Core.Json;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;
using OneOf;

namespace Conversations.Core.ChatCompletions;

/// <summary>
/// The stateless route forwards the client's body to the upstream without loss. These functions read
/// only the few top-level fields the service acts on, and rewrite the body only when it must: to map
/// a model alias, or to ask for the usage chunk a stream needs for accounting. Anything else, known or
/// not, is copied byte for byte.
/// </summary>
public static class ChatCompletionsRequests
{
    public static OneOf<ChatCompletionsCall, ValidationError> Inspect(ReadOnlySpan<byte> body)
    {
        string? model = null;
        var stream = false;
        var wantsUsage = false;
        var hasMessages = false;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new ValidationError("Invalid type for the request body: expected a JSON object.", "", "invalid_type");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return new ValidationError("Invalid type for 'model': expected a string.", "model", "invalid_type");
                    }

                    model = reader.GetString();
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                    {
                        return new ValidationError("Invalid type for 'stream': expected a boolean.", "stream", "invalid_type");
                    }

                    stream = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("stream_options"u8))
                {
                    reader.Read();
                    wantsUsage = reader.TokenType == JsonTokenType.StartObject && ReadIncludeUsage(ref reader);
                }
                else if (reader.ValueTextEquals("messages"u8))
                {
                    reader.Read();
                    hasMessages = reader.TokenType == JsonTokenType.StartArray;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.Read())
            {
                return InvalidJson();
            }
        }
        catch (JsonException)
        {
            return InvalidJson();
        }

        if (string.IsNullOrEmpty(model))
        {
            return new ValidationError("Missing required parameter: 'model'.", "model", "missing_required_parameter");
        }

        if (!hasMessages)
        {
            return new ValidationError("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        }

        return new ChatCompletionsCall(model, stream, stream && wantsUsage);
    }

    /// <summary>
    /// The body to send upstream: the client's own bytes when nothing needs changing, otherwise the
    /// same top-level fields in the same order with <c>model</c> replaced by <paramref name="upstreamModel"/>
    /// and, for streams, <c>stream_options.include_usage</c> set (other stream options kept).
    /// </summary>
    public static ReadOnlyMemory<byte> ForUpstream(ReadOnlyMemory<byte> body, ChatCompletionsCall call, string upstreamModel)
    {
        var renamed = upstreamModel != call.Model;
        var needsUsage = call.Stream && !call.ClientWantsUsage;
        if (!renamed && !needsUsage)
        {
            return body;
        }

        var output = new ArrayBufferWriter<byte>(body.Length + 64);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            var reader = new Utf8JsonReader(body.Span);
            reader.Read();
            writer.WriteStartObject();
            var wroteStreamOptions = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                var escaped = reader.ValueIsEscaped;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var raw = body.Span[start..((int)reader.BytesConsumed)];
                if (!escaped && name.SequenceEqual("model"u8))
                {
                    writer.WriteString("model"u8, upstreamModel);
                }
                else if (!escaped && needsUsage && name.SequenceEqual("stream_options"u8))
                {
                    WriteStreamOptionsWithUsage(writer, raw);
                    wroteStreamOptions = true;
                }
                else
                {
                    if (escaped)
                    {
                        writer.WritePropertyName(JsonEncodedTextFromEscaped(name));
                    }
                    else
                    {
                        writer.WritePropertyName(name);
                    }

                    writer.WriteRawValue(raw, skipInputValidation: true);
                }
            }

            if (needsUsage && !wroteStreamOptions)
            {
                writer.WriteStartObject("stream_options"u8);
                writer.WriteBoolean("include_usage"u8, true);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return output.WrittenMemory;
    }

    /// <summary>
    /// The messages of a stateless request as an upstream request, for the offline model, which answers
    /// from them directly. Only text content is understood; anything else is refused with its path.
    /// </summary>
    public static OneOf<UpstreamChatRequest, ValidationError> ToUpstreamRequest(JsonElement body, ChatCompletionsCall call)
    {
        var messages = ImmutableArray.CreateBuilder<UpstreamMessage>();
        var index = 0;
        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            var path = $"messages[{index}]";
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                return JsonField.Missing($"{path}.role");
            }

            var content = message.TryGetProperty("content", out var contentJson) ? Text(contentJson) : "";
            if (content is null)
            {
                return JsonField.Invalid($"{path}.content", "Only text content is supported by the offline model.");
            }

            messages.Add(new UpstreamMessage(role.GetString()!, content));
            index++;
        }

        if (messages.Count == 0)
        {
            return JsonField.Invalid("messages", "'messages' must hold at least one message.");
        }

        int? maxTokens = null;
        foreach (var name in (ReadOnlySpan<string>)["max_tokens", "max_completion_tokens"])
        {
            if (body.TryGetProperty(name, out var max) && max.ValueKind == JsonValueKind.Number && max.TryGetInt32(out var value))
            {
                maxTokens = value;
            }
        }

        return new UpstreamChatRequest(call.Model, messages.ToImmutable(), null, null, maxTokens, call.Stream);
    }

    private static string? Text(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Null:
                return "";
            case JsonValueKind.Array:
                var text = new System.Text.StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    text.Append(partText.GetString());
                }

                return text.ToString();
            default:
                return null;
        }
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        var include = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isUsage)
            {
                include = reader.TokenType == JsonTokenType.True;
            }

            reader.Skip();
        }

        return include;
    }

    private static void WriteStreamOptionsWithUsage(Utf8JsonWriter writer, ReadOnlySpan<byte> raw)
    {
        writer.WriteStartObject("stream_options"u8);
        var reader = new Utf8JsonReader(raw);
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = reader.ValueTextEquals("include_usage"u8);
                var name = reader.GetString()!;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (!isUsage)
                {
                    writer.WritePropertyName(name);
                    writer.WriteRawValue(raw[start..((int)reader.BytesConsumed)], skipInputValidation: true);
                }
            }
        }

        writer.WriteBoolean("include_usage"u8, true);
        writer.WriteEndObject();
    }

    private static string JsonEncodedTextFromEscaped(ReadOnlySpan<byte> escapedName)
    {
        var reader = new Utf8JsonReader([(byte)'"', .. escapedName, (byte)'"']);
        reader.Read();
        return reader.GetString()!;
    }

    private static ValidationError InvalidJson() =>
        new("We could not parse the JSON body of your request. Send a JSON object with Content-Type: application/json.", "", "invalid_json");
}
