using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.Core.Json;

/// <summary>Turns a request body into JSON, or says plainly why it is not JSON.</summary>
public static class JsonBody
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>
    /// Parses <paramref name="utf8"/>. An empty body reads as <c>{}</c> (OpenAI accepts a bare POST where
    /// every field is optional). The element owns its memory, so nothing needs disposing.
    /// </summary>
    public static OneOf<JsonElement, ValidationError> Parse(ReadOnlySpan<byte> utf8)
    {
        // Some clients (Windows PowerShell, writers using .NET's Encoding.UTF8) start the body with a
        // byte order mark; it says nothing about the JSON, so it is skipped as JSON parsers commonly do.
        if (utf8.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }

        if (IsBlank(utf8))
        {
            return EmptyObject;
        }

        // The reader leaves string contents unchecked until they are read; checking here turns what would
        // be a failure deep inside a handler into a plain 400.
        if (!Utf8.IsValid(utf8))
        {
            return NotJson($"the body is not valid UTF-8 at {Where(utf8, FirstInvalidUtf8(utf8))}");
        }

        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            var element = JsonElement.ParseValue(ref reader);
            // ParseValue stops after the first value; anything after it is not one JSON document.
            if (reader.Read())
            {
                return NotJson($"unexpected content after the JSON value at {Where(utf8, (int)reader.TokenStartIndex)}");
            }

            if (UnpairedSurrogateAt(utf8) is { } at)
            {
                return NotJson($"the string at {Where(utf8, at)} escapes an unpaired surrogate, which is not text");
            }

            return element;
        }
        catch (JsonException exception)
        {
            return NotJson(Describe(exception));
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        foreach (var b in utf8)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (offset < utf8.Length && Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    /// <summary>
    /// Where a string or name escapes half a surrogate pair (<c>"\ud83d"</c>): valid JSON syntax, but no
    /// text, so reading it would fail later. Only bodies with a <c>\u</c> escape need the second pass.
    /// </summary>
    private static int? UnpairedSurrogateAt(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOf("\\u"u8) < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(utf8, Options);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return (int)reader.TokenStartIndex;
                }
            }
        }

        return null;
    }

    /// <summary>A byte offset as the 1-based line and position that parse errors use.</summary>
    private static string Where(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return $"line {before.Count((byte)'\n') + 1}, position {offset - lineStart + 1}";
    }

    private static string Describe(JsonException exception) =>
        exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? $"invalid JSON at line {line + 1}, position {position + 1}"
            : "invalid JSON";

    private static ValidationError NotJson(string detail) =>
        new($"We could not parse the JSON body of your request ({detail}). Send a JSON object with Content-Type: application/json.", "", "invalid_json");
}
