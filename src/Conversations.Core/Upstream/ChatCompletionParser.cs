using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Conversations.Core.Messages;
using OneOf;

namespace Conversations.Core.Upstream;

/// <summary>
/// Reads Chat Completions JSON as real upstreams send it. Only what the service keeps is read (the text,
/// refusal and tool calls of choice 0, why it stopped, and the usage with its cached and reasoning token
/// details); everything else (<c>service_tier</c>, <c>system_fingerprint</c>, <c>obfuscation</c>,
/// <c>logprobs</c>, other token details, fields added later) is skipped, and of several choices only
/// choice 0 is kept.
/// </summary>
public static class ChatCompletionParser
{
    public static OneOf<ChatCompletion, UpstreamError> ParseCompletion(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, LenientJson.ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Malformed("The upstream's reply is not a JSON object.");
            }

            var top = ReadTop(ref reader, "message"u8);
            if (!LenientJson.AtEnd(ref reader))
            {
                return Malformed("The upstream's reply has text after its JSON.");
            }

            if (top.Error is { } error)
            {
                return new UpstreamError.ServerError(error.Message, 200);
            }

            if (!top.HasChoices)
            {
                return Malformed("The upstream's reply has no choices.");
            }

            return new ChatCompletion(top.Id, top.Created, top.Model, top.Choice.Body.Content, top.Choice.FinishReason, top.Usage ?? TokenUsage.Zero)
            {
                Refusal = top.Choice.Body.Refusal,
                ToolCalls = top.Choice.Body.ToolCalls,
            };
        }
        // The reader checks a string's text only when it is read: invalid UTF-8 or a lone surrogate escape
        // throws InvalidOperationException there, and is as malformed as broken syntax.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Malformed("The upstream's reply is not valid JSON.");
        }
    }

    /// <summary>
    /// One stream event's data. A payload carrying an <c>error</c> is the upstream failing mid-stream and
    /// comes back as <see cref="UpstreamError.StreamFailed"/>.
    /// </summary>
    public static OneOf<ChatCompletionChunk, UpstreamError> ParseChunk(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, LenientJson.ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Malformed("A stream event from the upstream is not a JSON object.");
            }

            var top = ReadTop(ref reader, "delta"u8);
            if (!LenientJson.AtEnd(ref reader))
            {
                return Malformed("A stream event from the upstream has text after its JSON.");
            }

            if (top.Error is { } error)
            {
                return error;
            }

            if (!top.HasChoices && top.Usage is null)
            {
                return Malformed("A stream event from the upstream has neither choices nor usage.");
            }

            return new ChatCompletionChunk(top.Id, top.Created, top.Model, top.Choice.Body.Content, top.Choice.FinishReason, top.Usage)
            {
                RefusalDelta = top.Choice.Body.Refusal,
                ToolCalls = top.Choice.Body.Fragments,
            };
        }
        // The reader checks a string's text only when it is read: invalid UTF-8 or a lone surrogate escape
        // throws InvalidOperationException there, and is as malformed as broken syntax.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Malformed("A stream event from the upstream is not valid JSON.");
        }
    }

    /// <summary>A <c>GET /models</c> list. Entries without an id are left out.</summary>
    public static OneOf<ImmutableArray<ModelInfo>, UpstreamError> ParseModels(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, LenientJson.ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Malformed("The upstream's model list is not a JSON object.");
            }

            ImmutableArray<ModelInfo>? models = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    models = ReadModelArray(ref reader);
                }
                else
                {
                    LenientJson.SkipValue(ref reader);
                }
            }

            if (!LenientJson.AtEnd(ref reader))
            {
                return Malformed("The upstream's model list has text after its JSON.");
            }

            return models is { } found ? found : Malformed("The upstream's model list has no data array.");
        }
        // The reader checks a string's text only when it is read: invalid UTF-8 or a lone surrogate escape
        // throws InvalidOperationException there, and is as malformed as broken syntax.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Malformed("The upstream's model list is not valid JSON.");
        }
    }

    private static UpstreamError Malformed(string message) => new UpstreamError.MalformedResponse(message);

    /// <summary>
    /// A <c>message</c> or <c>delta</c>: <see cref="Content"/> is its text, or its refusal when it has no
    /// text; <see cref="ToolCalls"/> are a message's whole calls, <see cref="Fragments"/> a delta's pieces.
    /// </summary>
    private readonly record struct MessageBody(
        string Content, string Refusal, ImmutableArray<UpstreamToolCall> ToolCalls, ImmutableArray<ToolCallFragment> Fragments)
    {
        public static readonly MessageBody Empty = new("", "", [], []);
    }

    private readonly record struct Choice(MessageBody Body, string FinishReason)
    {
        public static readonly Choice Empty = new(MessageBody.Empty, "");
    }

    private readonly record struct Top(
        string Id, long Created, string Model, bool HasChoices, Choice Choice, TokenUsage? Usage, UpstreamError.StreamFailed? Error);

    /// <summary>Reads the members of a completion or chunk; the reader ends on the object's closing brace.</summary>
    private static Top ReadTop(ref Utf8JsonReader reader, ReadOnlySpan<byte> choiceBody)
    {
        string id = "", model = "";
        long created = 0;
        var hasChoices = false;
        var choice = Choice.Empty;
        TokenUsage? usage = null;
        UpstreamError.StreamFailed? error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = LenientJson.ReadString(ref reader) ?? "";
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                created = LenientJson.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                model = LenientJson.ReadString(ref reader) ?? "";
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    hasChoices = true;
                    choice = ReadFirstChoice(ref reader, choiceBody);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                usage = ReadUsage(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                error = ReadError(ref reader);
            }
            else
            {
                LenientJson.SkipValue(ref reader);
            }
        }

        return new Top(id, created, model, hasChoices, choice, usage, error);
    }

    /// <summary>The choice with index 0 (a choice without an index counts as 0); the reader ends on the array's end.</summary>
    private static Choice ReadFirstChoice(ref Utf8JsonReader reader, ReadOnlySpan<byte> choiceBody)
    {
        Choice? kept = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            long index = 0;
            var body = MessageBody.Empty;
            var finishReason = "";
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    index = LenientJson.ReadInt64(ref reader);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    finishReason = LenientJson.ReadString(ref reader) ?? "";
                }
                else if (reader.ValueTextEquals(choiceBody))
                {
                    body = ReadMessage(ref reader, pieces: choiceBody.SequenceEqual("delta"u8));
                }
                else
                {
                    LenientJson.SkipValue(ref reader);
                }
            }

            if (index == 0 && kept is null)
            {
                kept = new Choice(body, finishReason);
            }
        }

        return kept ?? Choice.Empty;
    }

    /// <summary>
    /// A <c>message</c> or <c>delta</c>: its text (content given as an array of parts, as some compatible
    /// servers send it, is joined), its refusal, and its tool calls: whole ones in a message, pieces in a
    /// delta (told apart by the <c>index</c> a piece has).
    /// </summary>
    private static MessageBody ReadMessage(ref Utf8JsonReader reader, bool pieces)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return MessageBody.Empty;
        }

        string? content = null, refusal = null;
        ImmutableArray<UpstreamToolCall> toolCalls = [];
        ImmutableArray<ToolCallFragment> fragments = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                content = ReadContent(ref reader);
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                refusal = LenientJson.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                (toolCalls, fragments) = ReadToolCalls(ref reader, pieces);
            }
            else
            {
                LenientJson.SkipValue(ref reader);
            }
        }

        refusal ??= "";
        return new MessageBody(string.IsNullOrEmpty(content) ? refusal : content, refusal, toolCalls, fragments);
    }

    /// <summary>
    /// A <c>tool_calls</c> array: in a message, whole calls; in a delta (<paramref name="pieces"/>), pieces of
    /// the call at each entry's <c>index</c> (an entry without one is at its position in the array).
    /// </summary>
    private static (ImmutableArray<UpstreamToolCall> Calls, ImmutableArray<ToolCallFragment> Fragments) ReadToolCalls(ref Utf8JsonReader reader, bool pieces)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return ([], []);
        }

        var calls = ImmutableArray.CreateBuilder<UpstreamToolCall>(pieces ? 0 : 1);
        var fragments = ImmutableArray.CreateBuilder<ToolCallFragment>(pieces ? 1 : 0);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            long index = fragments.Count + calls.Count;
            string? id = null, name = null, arguments = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    index = LenientJson.ReadInt64(ref reader);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    id = LenientJson.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    (name, arguments) = ReadFunction(ref reader);
                }
                else
                {
                    LenientJson.SkipValue(ref reader);
                }
            }

            if (pieces)
            {
                fragments.Add(new ToolCallFragment(
                    (int)Math.Clamp(index, 0, int.MaxValue), string.IsNullOrEmpty(id) ? null : id, string.IsNullOrEmpty(name) ? null : name, arguments ?? ""));
            }
            else
            {
                calls.Add(new UpstreamToolCall(id ?? "", name ?? "", arguments ?? ""));
            }
        }

        return (calls.DrainToImmutable(), fragments.DrainToImmutable());
    }

    /// <summary>A call's <c>function</c>: its name and arguments. Arguments sent as a JSON object rather than a string (some servers do) are kept as that object's text.</summary>
    private static (string? Name, string? Arguments) ReadFunction(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (null, null);
        }

        string? name = null, arguments = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                name = LenientJson.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        arguments = reader.GetString();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        using (var document = JsonDocument.ParseValue(ref reader))
                        {
                            arguments = document.RootElement.GetRawText();
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            else
            {
                LenientJson.SkipValue(ref reader);
            }
        }

        return (name, arguments);
    }

    private static string? ReadContent(ref Utf8JsonReader reader)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.StartArray:
                var text = new StringBuilder();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        text.Append(reader.GetString());
                    }
                    else if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("text"u8))
                            {
                                text.Append(LenientJson.ReadString(ref reader));
                            }
                            else
                            {
                                LenientJson.SkipValue(ref reader);
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                return text.ToString();
            default:
                reader.Skip();
                return null;
        }
    }

    private static TokenUsage? ReadUsage(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long prompt = 0, completion = 0, cached = 0, reasoning = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = LenientJson.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = LenientJson.ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                cached = ReadDetail(ref reader, "cached_tokens"u8);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reasoning = ReadDetail(ref reader, "reasoning_tokens"u8);
            }
            else
            {
                LenientJson.SkipValue(ref reader);
            }
        }

        return new TokenUsage(Math.Max(0, prompt), Math.Max(0, completion), Math.Max(0, cached), Math.Max(0, reasoning));
    }

    /// <summary>One count of a token details object (0 when the object or the count is absent or null).</summary>
    private static long ReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        long value = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                value = LenientJson.ReadInt64(ref reader);
            }
            else
            {
                LenientJson.SkipValue(ref reader);
            }
        }

        return value;
    }

    /// <summary>An <c>error</c> member: OpenAI's object, or a bare string. <c>"error": null</c> is no error.</summary>
    private static UpstreamError.StreamFailed? ReadError(ref Utf8JsonReader reader)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return new UpstreamError.StreamFailed(OrDefault(reader.GetString()), null);
            case JsonTokenType.StartObject:
                string? message = null, code = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("message"u8))
                    {
                        message = LenientJson.ReadString(ref reader);
                    }
                    else if (reader.ValueTextEquals("code"u8))
                    {
                        code = LenientJson.ReadString(ref reader);
                    }
                    else
                    {
                        LenientJson.SkipValue(ref reader);
                    }
                }

                return new UpstreamError.StreamFailed(OrDefault(message), code);
            default:
                reader.Skip();
                return new UpstreamError.StreamFailed(OrDefault(null), null);
        }

        static string OrDefault(string? message) =>
            string.IsNullOrWhiteSpace(message) ? "The upstream reported an error without saying what went wrong." : message;
    }

    private static ImmutableArray<ModelInfo> ReadModelArray(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("data is not an array");
        }

        var models = ImmutableArray.CreateBuilder<ModelInfo>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string id = "", ownedBy = "";
            long created = 0;
            long? window = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    id = LenientJson.ReadString(ref reader) ?? "";
                }
                else if (reader.ValueTextEquals("created"u8))
                {
                    created = LenientJson.ReadInt64(ref reader);
                }
                else if (reader.ValueTextEquals("owned_by"u8))
                {
                    ownedBy = LenientJson.ReadString(ref reader) ?? "";
                }
                else if (reader.ValueTextEquals("max_model_len"u8) || reader.ValueTextEquals("context_length"u8))
                {
                    window = LenientJson.ReadInt64(ref reader) is > 0 and var reported ? reported : window;
                }
                else
                {
                    LenientJson.SkipValue(ref reader);
                }
            }

            if (id.Length > 0)
            {
                models.Add(new ModelInfo(id, created, ownedBy) { ContextWindow = window });
            }
        }

        return models.ToImmutable();
    }
}
