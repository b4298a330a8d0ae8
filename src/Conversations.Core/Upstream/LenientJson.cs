using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Conversations.Core.Upstream;

/// <summary>
/// Lenient reads of single values with a <see cref="Utf8JsonReader"/> positioned on a property name.
/// Upstreams differ in small ways (a count written as <c>12.0</c>, a null where a string is usual), and
/// none of those should cost the user their reply.
/// </summary>
internal static class LenientJson
{
    public static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    /// <summary>Moves to the property's value; a string yields its text, null yields null, anything else is skipped.</summary>
    public static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>Moves to the property's value and reads a whole number from an integer, a float or a numeric string.</summary>
    public static long ReadInt64(ref Utf8JsonReader reader)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var whole))
                {
                    return whole;
                }

                return reader.TryGetDouble(out var real) ? Truncate(real) : 0;
            case JsonTokenType.String:
                var text = reader.GetString();
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out whole))
                {
                    return whole;
                }

                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out real) ? Truncate(real) : 0;
            default:
                reader.Skip();
                return 0;
        }
    }

    public static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>True if nothing but whitespace follows the value just read.</summary>
    public static bool AtEnd(ref Utf8JsonReader reader) => !reader.Read();

    private static long Truncate(double value) => double.IsFinite(value)
        ? (long)Math.Clamp(Math.Truncate(value), long.MinValue, long.MaxValue)
        : 0;
}
