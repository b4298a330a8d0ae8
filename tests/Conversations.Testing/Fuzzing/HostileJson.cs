using System.Globalization;
using CsCheck;

namespace Conversations.Testing.Fuzzing;

/// <summary>
/// JSON values a careless or hostile client sends, as JSON text: wrong types, nulls, numbers at and past
/// every limit, strings that look like numbers, escaped lone surrogates, very long strings, deep nesting,
/// ids of the wrong kind, and placeholders (<see cref="FuzzIds"/>) that the route suite replaces with real
/// ids of the caller's own and another user's resources.
/// </summary>
public static class HostileJson
{
    private static readonly string[] Fixed =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "0.5", "-1.5", "2", "100", "101", "1000000",
        "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "1e308", "-1e308", "1e309", "-1e309", "1e-400",
        "1E2", "0.1e1", "123456789012345678901234567890.5e-3", "4.9e-324",
        "\"\"", "\" \"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e999\"", "\"0x10\"", "\"true\"", "\"null\"", "\"1\"",
        "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud800b\"", "\"\\ud83d\\ude00\"", "\"\\u202e\"", "\"<script>alert(1)</script>\"",
        "\"user\"", "\"assistant\"", "\"system\"", "\"developer\"", "\"tool\"", "\"message\"", "\"function_call\"",
        "\"function_call_output\"", "\"input_text\"", "\"output_text\"", "\"input_image\"", "\"reasoning\"", "\"compaction\"",
        "\"auto\"", "\"disabled\"", "\"asc\"", "\"desc\"", "\"json_schema\"", "\"json_object\"", "\"offline\"", "\"gpt-4o-mini\"",
        "\"conv_\"", "\"resp_\"", "\"msg_\"", "\"conv_00000000000000000000000000000000\"", "\"resp_ffffffffffffffffffffffffffffffff\"",
        "\"../../etc/passwd\"", "\"%00\"", "\"conv_\\u00e9\"",
        "{}", "[]", "[null]", "[[]]", "{\"\":null}", "[1,2,3]", "[\"a\"]", "{\"type\":null}", "{\"type\":\"message\"}",
        "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\"}]",
        "[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":null}]}]",
        "[{\"type\":\"function_call_output\",\"call_id\":\"call_x\",\"output\":\"{}\"}]",
        "[{\"type\":\"function_call\",\"call_id\":\"\",\"name\":\"\",\"arguments\":\"\"}]",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"image_url\":\"data:,\"}]}]",
        "[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}]",
        "{\"type\":\"json_schema\",\"name\":\"x\",\"schema\":{}}", "{\"format\":{\"type\":\"json_schema\"}}",
        "[{\"type\":\"compaction\",\"compact_threshold\":-1}]", "{\"include_usage\":\"yes\"}",
        "{\"title\":\"t\",\"k\":1}",
        FuzzIds.OwnConversation, FuzzIds.ForeignConversation, FuzzIds.OwnResponse, FuzzIds.ForeignResponse,
        FuzzIds.OwnItem, FuzzIds.ForeignItem,
    ];

    /// <summary>Text of one JSON value, hostile or plausible.</summary>
    public static readonly Gen<string> Value = Gen.Frequency(
        (8, Gen.OneOf<string>(Fixed)),
        (2, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (3, Gen.Char.Array[0, 40].Select(chars => Quote(new string(chars)))),
        (1, Gen.Int[1_000, 200_000].Select(length => Quote(new string('x', length)))),
        (1, Gen.Int[1, 200].Select(depth => Nested(depth, "null"))),
        (1, Gen.Int[60, 70].Select(depth => Nested(depth, "1"))),
        (1, Gen.Int[1, 30].Select(depth => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "0" + new string('}', depth))),
        (1, Gen.Int[0, 200].Select(count => "[" + string.Join(',', Enumerable.Repeat("{}", count)) + "]")));

    /// <summary>A property name: the ones the service reads, their near misses, and odd ones.</summary>
    public static readonly Gen<string> Name = Gen.Frequency(
        (6, Gen.OneOf(
            "model", "input", "instructions", "conversation", "previous_response_id", "store", "stream", "tools", "tool_choice",
            "truncation", "text", "reasoning", "max_output_tokens", "temperature", "top_p", "metadata", "include", "background",
            "parallel_tool_calls", "context_management", "items", "settings", "limits", "content", "messages", "role", "type",
            "name", "stream_options", "response_format", "max_tokens", "n", "stop", "user", "seed", "requests_per_minute",
            "tokens_per_day", "concurrent_streams", "call_id", "output", "arguments", "id", "status", "title", "after", "limit",
            "order", "format", "starting_after", "prompt", "service_tier")),
        (1, Gen.OneOf("", "Model", "MODEL", "model ", "\u0000", "__proto__", "$ref", "\ud800", "😀")),
        (1, Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"].Array[1, 12].Select(chars => new string(chars))));

    /// <summary>
    /// <paramref name="text"/> as a JSON string, every character outside printable ASCII escaped as <c>\uXXXX</c>
    /// code unit by code unit, so a lone surrogate stays one (the serializer would replace it with U+FFFD).
    /// </summary>
    public static string Quote(string text)
    {
        var quoted = new System.Text.StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                >= ' ' and <= '~' => quoted.Append(c),
                _ => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            };
        }

        return quoted.Append('"').ToString();
    }

    /// <summary><paramref name="value"/> inside <paramref name="depth"/> arrays.</summary>
    public static string Nested(int depth, string value) => new string('[', depth) + value + new string(']', depth);
}
