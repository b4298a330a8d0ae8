using System.Text.Json;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.Core.Json;

/// <summary>Turns a request body into JSON, or says plainly why it is not JSON.</summary>
public static class JsonBody
{
    /// <summary>
    /// Parses <paramref name="utf8"/>. An empty body reads as <c>{}</c> (OpenAI accepts a bare POST where
    /// every field is optional). The element owns its memory, so nothing needs disposing.
    /// </summary>
    public static OneOf<JsonElement, ValidationError> Parse(ReadOnlySpan<byte> utf8)
    {
        if (IsBlank(utf8))
        {
            return EmptyObject;
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        try
        {
            var element = JsonElement.ParseValue(ref reader);
            // ParseValue stops after the first value; anything after it is not one JSON document.
            if (reader.Read())
            {
                return NotJson($"unexpected content after the JSON value at byte {reader.TokenStartIndex}");
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

    private static string Describe(JsonException exception) =>
        exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? $"invalid JSON at line {line + 1}, position {position + 1}"
            : "invalid JSON";

    private static ValidationError NotJson(string detail) =>
        new($"We could not parse the JSON body of your request ({detail}). Send a JSON object with Content-Type: application/json.", "", "invalid_json");
}
