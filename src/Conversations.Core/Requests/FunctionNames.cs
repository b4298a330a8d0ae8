using System.Text.Json;
using Conversations.Core.Json;
using OneOf;

namespace Conversations.Core.Requests;

/// <summary>
/// OpenAI's rule for the names of functions (and of JSON schemas in <c>text.format</c>): 1 to 64 ASCII
/// letters, digits, <c>_</c> or <c>-</c>. Chat Completions providers refuse other names, so they are refused
/// here, where the client can be told which field is wrong.
/// </summary>
internal static class FunctionNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    public static OneOf<string, ValidationError> Parse(JsonElement value, string param)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return JsonField.WrongType(param, "a string", value);
        }

        var name = value.GetString()!;
        return IsValid(name)
            ? name
            : JsonField.Invalid(param, $"'{param}' must be 1 to {MaxLength} characters of letters, digits, '_' or '-', but got '{JsonField.Shown(name)}'.");
    }

    /// <summary>The name field <paramref name="name"/> of <paramref name="obj"/>, which must be there.</summary>
    public static OneOf<string, ValidationError> Required(JsonElement obj, string prefix, string name)
    {
        var param = JsonField.Path(prefix, name);
        return JsonField.Present(obj, name, out var value) ? Parse(value, param) : JsonField.Missing(param);
    }
}
