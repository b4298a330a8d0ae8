using System.Text.Json;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.Core.Json;

/// <summary>
/// Reads one field of a request object with a message that names it, so every refusal tells the
/// client exactly which field was wrong and why.
/// </summary>
internal static class JsonField
{
    public static ValidationError Invalid(string param, string message) => new(message, param, "invalid_value");

    public static ValidationError WrongType(string param, string expected, JsonElement actual) =>
        new($"Invalid type for {(param.Length == 0 ? "the request body" : $"'{param}'")}: expected {expected}, but got {Describe(actual.ValueKind)}.", param, "invalid_type");

    public static ValidationError Missing(string param) =>
        new($"Missing required parameter: '{param}'.", param, "missing_required_parameter");

    public static ValidationError Unknown(string param) =>
        new($"Unrecognized request argument supplied: '{param}'.", param, "unknown_parameter");

    public static string Path(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    /// <summary>The first property not in <paramref name="allowed"/>, as an error; null if there is none.</summary>
    public static ValidationError? FirstUnknown(JsonElement obj, string prefix, ReadOnlySpan<string> allowed)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                return Unknown(Path(prefix, property.Name));
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="obj"/> has <paramref name="name"/> with a value other than null: null reads as left out.</summary>
    public static bool Present(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The string field <paramref name="name"/> of <paramref name="obj"/>, which must be there (and not null).</summary>
    public static OneOf<string, ValidationError> RequiredString(JsonElement obj, string prefix, string name, int maxLength, bool allowEmpty)
    {
        var param = Path(prefix, name);
        return Present(obj, name, out var value) ? String(value, param, maxLength, allowEmpty) : Missing(param);
    }

    /// <summary>A string that must be one of <paramref name="allowed"/>, spelled exactly so.</summary>
    public static OneOf<string, ValidationError> Choice(JsonElement value, string param, ReadOnlySpan<string> allowed)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return WrongType(param, "a string", value);
        }

        var text = value.GetString()!;
        return allowed.Contains(text)
            ? text
            : Invalid(param, $"'{param}' must be {Alternatives(allowed)}, but got '{Shown(text)}'.");
    }

    /// <summary>Values as a message lists them: <c>'a'</c>, <c>'a' or 'b'</c>, <c>one of 'a', 'b' or 'c'</c>.</summary>
    public static string Alternatives(ReadOnlySpan<string> values) => values.Length switch
    {
        0 => "nothing",
        1 => $"'{values[0]}'",
        2 => $"'{values[0]}' or '{values[1]}'",
        _ => $"one of '{string.Join("', '", values[..^1])}' or '{values[^1]}'",
    };

    /// <summary>A client's value quoted in a message, cut short when long: a refusal should not echo megabytes.</summary>
    public static string Shown(string value) =>
        value.Length <= 80 ? value : $"{value[..80]}…";

    public static OneOf<string, ValidationError> String(JsonElement value, string param, int maxLength, bool allowEmpty)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return WrongType(param, "a string", value);
        }

        var text = value.GetString()!;
        if (!allowEmpty && text.Length == 0)
        {
            return Invalid(param, $"'{param}' must not be empty.");
        }

        if (text.Length > maxLength)
        {
            return Invalid(param, $"'{param}' is too long: {text.Length} characters, at most {maxLength} allowed.");
        }

        return HasNul(text) ? NulRefused(param) : text;
    }

    /// <summary>
    /// U+0000 cannot be stored by every store (PostgreSQL's text refuses it), so it is refused at the door
    /// rather than half-way through a turn.
    /// </summary>
    public static bool HasNul(string text) => text.Contains('\0');

    /// <summary>
    /// Whether any string or property name inside <paramref name="value"/> holds U+0000. JSON a client sends
    /// for the service to keep (schemas, annotations) is stored too, and PostgreSQL's jsonb refuses the
    /// character even escaped.
    /// </summary>
    public static bool HasNul(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return HasNul(value.GetString()!);
            case JsonValueKind.Array:
                foreach (var element in value.EnumerateArray())
                {
                    if (HasNul(element))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (HasNul(property.Name) || HasNul(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    public static ValidationError NulRefused(string param) =>
        Invalid(param, $"'{param}' must not contain the NUL character (U+0000).");

    public static OneOf<double, ValidationError> Number(JsonElement value, string param, double min, double max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return WrongType(param, "a number", value);
        }

        // A number too large for a double (1e400) reads as infinity: out of range, not of the wrong type.
        if (!value.TryGetDouble(out var number) || !double.IsFinite(number) || number < min || number > max)
        {
            return Invalid(param, $"'{param}' must be between {min} and {max}, but got {value.GetRawText()}.");
        }

        return number;
    }

    public static OneOf<int, ValidationError> Integer(JsonElement value, string param, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return WrongType(param, "an integer", value);
        }

        if (!value.TryGetInt64(out var number))
        {
            // Not written as a plain integer: 1.0 and 1e3 are whole numbers (as some serializers write
            // them) and are taken as such; a fraction is the wrong type; anything else is out of range.
            var readable = value.TryGetDouble(out var d) && double.IsFinite(d);
            if (readable && Math.Floor(d) != d)
            {
                return WrongType(param, "an integer", value);
            }

            if (!readable || d < min || d > max)
            {
                return Invalid(param, $"'{param}' must be between {min} and {max}, but got {value.GetRawText()}.");
            }

            return (int)d;
        }

        if (number < min || number > max)
        {
            return Invalid(param, $"'{param}' must be between {min} and {max}, but got {number}.");
        }

        return (int)number;
    }

    public static OneOf<bool, ValidationError> Boolean(JsonElement value, string param) =>
        value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => WrongType(param, "a boolean", value),
        };

    /// <summary>
    /// Length in characters as the client counts them (Unicode code points): an emoji is one character,
    /// though two UTF-16 units.
    /// </summary>
    public static int Characters(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
