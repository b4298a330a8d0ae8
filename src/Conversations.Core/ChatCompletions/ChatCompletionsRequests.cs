using System.Buffers;
using System.Collections.Immutable;
using System.Text.Encodings.Web;
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
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        wantsUsage = ReadIncludeUsage(ref reader);
                    }
                    else
                    {
                        // Not ours to judge: the upstream answers a malformed stream_options precisely.
                        wantsUsage = false;
                        reader.Skip();
                    }
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
        // Invalid UTF-8 or a lone surrogate escape in a string read here (the model) throws
        // InvalidOperationException when it is read, not when it is reached.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
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
    /// The body to send upstream: the client's own bytes when nothing needs changing, otherwise the same
    /// bytes with only the <c>model</c> value replaced by <paramref name="upstreamModel"/> and, for streams,
    /// <c>stream_options.include_usage</c> set to true (added when absent, other stream options kept).
    /// Names are matched by what they spell, so <c>"mod\u0065l"</c> is the model too.
    /// </summary>
    public static ReadOnlyMemory<byte> ForUpstream(ReadOnlyMemory<byte> body, ChatCompletionsCall call, string upstreamModel)
    {
        var renamed = upstreamModel != call.Model;
        var needsUsage = call.Stream && !call.ClientWantsUsage;
        if (!renamed && !needsUsage)
        {
            return body;
        }

        var json = body.Span;
        var edits = new List<Edit>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        var fields = 0;
        var hasStreamOptions = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            fields++;
            var isModel = reader.ValueTextEquals("model"u8);
            var isStreamOptions = reader.ValueTextEquals("stream_options"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var end = (int)reader.BytesConsumed;
            if (isModel && renamed)
            {
                edits.Add(new Edit(start, end, JsonString(upstreamModel)));
            }
            else if (isStreamOptions && needsUsage)
            {
                hasStreamOptions = true;
                edits.Add(new Edit(start, end, StreamOptionsWithUsage(json[start..end])));
            }
        }

        if (needsUsage && !hasStreamOptions)
        {
            var closingBrace = (int)reader.TokenStartIndex;
            edits.Add(new Edit(closingBrace, closingBrace, [.. fields > 0 ? ","u8 : ""u8, .. "\"stream_options\":{\"include_usage\":true}"u8]));
        }

        return Splice(json, edits);
    }

    /// <summary>A replacement of the bytes from <paramref name="Start"/> to <paramref name="End"/> (exclusive); equal for an insertion.</summary>
    private readonly record struct Edit(int Start, int End, byte[] Text);

    private static byte[] Splice(ReadOnlySpan<byte> json, List<Edit> edits)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        var copied = 0;
        foreach (var edit in edits)
        {
            output.Write(json[copied..edit.Start]);
            output.Write(edit.Text);
            copied = edit.End;
        }

        output.Write(json[copied..]);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The client's stream options with <c>include_usage</c> true: its value replaced where it is, or the
    /// field added at the end; anything that is not an object becomes <c>{"include_usage":true}</c>.
    /// </summary>
    private static byte[] StreamOptionsWithUsage(ReadOnlySpan<byte> options)
    {
        var reader = new Utf8JsonReader(options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "{\"include_usage\":true}"u8.ToArray();
        }

        var edits = new List<Edit>();
        var fields = 0;
        var hasUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            fields++;
            var isUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (isUsage)
            {
                hasUsage = true;
                edits.Add(new Edit(start, (int)reader.BytesConsumed, "true"u8.ToArray()));
            }
        }

        if (!hasUsage)
        {
            var closingBrace = (int)reader.TokenStartIndex;
            edits.Add(new Edit(closingBrace, closingBrace, [.. fields > 0 ? ","u8 : ""u8, .. "\"include_usage\":true"u8]));
        }

        return Splice(options, edits);
    }

    private static byte[] JsonString(string value)
    {
        var output = new ArrayBufferWriter<byte>(value.Length + 2);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStringValue(value);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The messages of a stateless request as an upstream request, for the offline model, which answers
    /// from them directly, and for the estimate of a prompt whose upstream reported no usage. Text, image
    /// and file parts, tool calls, refusals and tool results are understood; any other kind of content is
    /// refused with its path.
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

            var upstream = message.TryGetProperty("content", out var contentJson) ? Content(role.GetString()!, contentJson) : new UpstreamMessage(role.GetString()!, "");
            if (upstream is null)
            {
                return JsonField.Invalid($"{path}.content", "Only text, image and file content is supported by the offline model.");
            }

            messages.Add(upstream with
            {
                Refusal = message.TryGetProperty("refusal", out var refusal) && refusal.ValueKind == JsonValueKind.String ? refusal.GetString() : null,
                ToolCallId = message.TryGetProperty("tool_call_id", out var callId) && callId.ValueKind == JsonValueKind.String ? callId.GetString() : null,
                ToolCalls = message.TryGetProperty("tool_calls", out var calls) ? ToolCalls(calls) : [],
            });
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

    /// <summary>
    /// A message's content: a string, null, or parts. Parts that are all text are joined into the content
    /// as before; with an image or a file among them they are kept as parts too. Null for content of a kind
    /// not understood.
    /// </summary>
    private static UpstreamMessage? Content(string role, JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return new UpstreamMessage(role, content.GetString()!);
            case JsonValueKind.Null:
                return new UpstreamMessage(role, "");
            case JsonValueKind.Array:
                var text = new System.Text.StringBuilder();
                var parts = ImmutableArray.CreateBuilder<UpstreamContentPart>();
                var onlyText = true;
                foreach (var part in content.EnumerateArray())
                {
                    if (Part(part) is not { } read)
                    {
                        return null;
                    }

                    if (read is UpstreamContentPart.Text partText)
                    {
                        text.Append(partText.Value);
                    }
                    else
                    {
                        onlyText = false;
                    }

                    parts.Add(read);
                }

                return new UpstreamMessage(role, text.ToString()) { Parts = onlyText ? [] : parts.ToImmutable() };
            default:
                return null;
        }
    }

    /// <summary>A content part: anything with a string <c>text</c>, an <c>image_url</c> (object or bare URL), or a <c>file</c>; null for anything else.</summary>
    private static UpstreamContentPart? Part(JsonElement part)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
        {
            return new UpstreamContentPart.Text(text.GetString()!);
        }

        var type = part.TryGetProperty("type", out var typeJson) && typeJson.ValueKind == JsonValueKind.String ? typeJson.GetString() : null;
        if (type == "image_url" && part.TryGetProperty("image_url", out var image))
        {
            return image.ValueKind switch
            {
                JsonValueKind.String => new UpstreamContentPart.ImageUrl(image.GetString()!, null),
                JsonValueKind.Object => new UpstreamContentPart.ImageUrl(StringOf(image, "url") ?? "", StringOf(image, "detail")),
                _ => null,
            };
        }

        if (type == "file" && part.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.Object)
        {
            return new UpstreamContentPart.File(StringOf(file, "file_data") ?? "", StringOf(file, "filename"));
        }

        return null;
    }

    /// <summary>An assistant message's tool calls, as far as they can be read; entries of another shape are passed over.</summary>
    private static ImmutableArray<UpstreamToolCall> ToolCalls(JsonElement calls)
    {
        if (calls.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var read = ImmutableArray.CreateBuilder<UpstreamToolCall>();
        foreach (var call in calls.EnumerateArray())
        {
            if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
            {
                read.Add(new UpstreamToolCall(StringOf(call, "id") ?? "", StringOf(function, "name") ?? "", StringOf(function, "arguments") ?? ""));
            }
        }

        return read.ToImmutable();
    }

    private static string? StringOf(JsonElement value, string name) =>
        value.TryGetProperty(name, out var member) && member.ValueKind == JsonValueKind.String ? member.GetString() : null;

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

    private static ValidationError InvalidJson() =>
        new("We could not parse the JSON body of your request. Send a JSON object with Content-Type: application/json.", "", "invalid_json");
}
