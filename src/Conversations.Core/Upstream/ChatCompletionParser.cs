using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Conversations.Core.Messages;
using OneOf;

namespace Conversations.Core.Upstream;

/// <summary>
/// Reads Chat Completions JSON as real upstreams send it. Only what the conversation keeps is read;
/// everything else (<c>service_tier</c>, <c>system_fingerprint</c>, <c>obfuscation</c>, <c>logprobs</c>,
/// token details, fields added later) is skipped, and of several choices only choice 0 is kept.
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

            return new ChatCompletion(top.Id, top.Created, top.Model, top.Choice.Content, top.Choice.FinishReason, top.Usage ?? TokenUsage.Zero);
        }
        catch (JsonException)
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

            return new ChatCompletionChunk(top.Id, top.Created, top.Model, top.Choice.Content, top.Choice.FinishReason, top.Usage);
        }
        catch (JsonException)
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
        catch (JsonException)
        {
            return Malformed("The upstream's model list is not valid JSON.");
        }
    }

    private static UpstreamError Malformed(string message) => new UpstreamError.MalformedResponse(message);

    private readonly record struct Choice(string Content, string FinishReason)
    {
        public static readonly Choice Empty = new("", "");
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
            var content = "";
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
                    content = ReadMessageText(ref reader);
                }
                else
                {
                    LenientJson.SkipValue(ref reader);
                }
            }

            if (index == 0 && kept is null)
            {
                kept = new Choice(content, finishReason);
            }
        }

        return kept ?? Choice.Empty;
    }

    /// <summary>
    /// The text of a <c>message</c> or <c>delta</c>: its content, or its refusal when the model refused.
    /// Content given as an array of parts (some compatible servers do) is joined.
    /// </summary>
    private static string ReadMessageText(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return "";
        }

        string? content = null, refusal = null;
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
            else
            {
                LenientJson.SkipValue(ref reader);
            }
        }

        return string.IsNullOrEmpty(content) ? refusal ?? "" : content;
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

        long prompt = 0, completion = 0;
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
            else
            {
                LenientJson.SkipValue(ref reader);
            }
        }

        return new TokenUsage(Math.Max(0, prompt), Math.Max(0, completion));
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
                else
                {
                    LenientJson.SkipValue(ref reader);
                }
            }

            if (id.Length > 0)
            {
                models.Add(new ModelInfo(id, created, ownedBy));
            }
        }

        return models.ToImmutable();
    }
}
