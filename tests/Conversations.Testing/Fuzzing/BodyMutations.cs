using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Conversations.Testing.Fuzzing;

/// <summary>Generates and applies <see cref="BodyMutation"/>s: hostile bodies made from a valid example.</summary>
public static class BodyMutations
{
    /// <summary>Byte sequences that are not UTF-8 text: a stray continuation byte, an overlong slash, a surrogate encoded as UTF-8, a cut-off character, bytes never valid.</summary>
    private static readonly byte[][] InvalidSequences =
        [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE2, 0x82], [0xFF], [0xFE, 0xFF], [0xF4, 0x90, 0x80, 0x80], [0x00]];

    private static readonly string[] NotJson =
    [
        "{", "}", "[", "{\"a\"", "{\"a\":", "not json", "{'a':1}", "[1,]", "{\"a\":1,}", "// comment\n{}", "NaN", "{\"a\":NaN}",
        "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1}{\"b\":2}", "\uFEFF{}", "\uFEFF", " ", "\u0000", "{\"a\":\"\n\"}",
        "{\"a\":\"\\x41\"}", "{\"a\":tru}", "<xml/>", "model=offline&input=hi", "\"just a string\"", "42", "null",
    ];

    private static readonly Gen<BodyMutation> Step = Gen.Frequency(
        (6, Mutation(MutationKind.Replace)),
        (2, Mutation(MutationKind.Remove)),
        (3, Mutation(MutationKind.Add)),
        (2, Mutation(MutationKind.Duplicate)),
        (1, Mutation(MutationKind.Nest)),
        (1, Mutation(MutationKind.InvalidUtf8)),
        (1, Mutation(MutationKind.Truncate)),
        (1, Mutation(MutationKind.Garbage)));

    /// <summary>One to three steps, applied in order.</summary>
    public static readonly Gen<ImmutableArray<BodyMutation>> Any = Step.Array[1, 3].Select(steps => steps.ToImmutableArray());

    private static Gen<BodyMutation> Mutation(MutationKind kind) =>
        Gen.Select(Gen.Int[0, 1_000], HostileJson.Name, HostileJson.Value, Gen.Int[0, 100],
            (pick, name, value, amount) => new BodyMutation(kind, pick, name, value, amount));

    /// <summary>
    /// <paramref name="example"/> (JSON text; null for a route without a body) with <paramref name="steps"/>
    /// applied, and the placeholders of <see cref="FuzzIds"/> replaced by <paramref name="ids"/>.
    /// </summary>
    public static byte[] Apply(string? example, IEnumerable<BodyMutation> steps, IReadOnlyDictionary<string, string>? ids = null)
    {
        // Values go into the tree as marker strings and are put in as text at the end: they may be JSON
        // that no tree can hold (lone surrogate escapes, nesting past the parser's depth, duplicate names).
        var root = example is null ? null : JsonNode.Parse(example);
        var texts = new Dictionary<string, string>();
        var byteSteps = new List<BodyMutation>();
        foreach (var step in steps)
        {
            if (step.Kind is MutationKind.InvalidUtf8 or MutationKind.Truncate or MutationKind.Garbage)
            {
                byteSteps.Add(step);
                continue;
            }

            root = Edit(root, step, texts);
        }

        var text = root?.ToJsonString() ?? "";
        // Latest first: a later marker's text (a nested value) may hold earlier markers.
        foreach (var (marker, replacement) in texts.Reverse())
        {
            text = text.Replace(marker, replacement, StringComparison.Ordinal);
        }

        if (ids is not null)
        {
            text = FuzzIds.Fill(text, ids);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        foreach (var step in byteSteps)
        {
            bytes = step.Kind switch
            {
                MutationKind.InvalidUtf8 => InsertInString(bytes, step.Pick, InvalidSequences[step.Amount % InvalidSequences.Length]),
                MutationKind.Truncate => bytes[..(bytes.Length * step.Amount / 100)],
                _ => Encoding.UTF8.GetBytes(NotJson[step.Pick % NotJson.Length]),
            };
        }

        return bytes;
    }

    private static JsonNode? Edit(JsonNode? root, BodyMutation step, Dictionary<string, string> texts)
    {
        var nodes = new List<(JsonNode? Parent, string? Property, int Index, JsonNode? Node)> { (null, null, -1, root) };
        Walk(root, nodes);
        var (parent, property, index, node) = nodes[step.Pick % nodes.Count];
        switch (step.Kind)
        {
            case MutationKind.Replace:
                return Put(root, parent, property, index, Marker(texts, step.Value));
            case MutationKind.Remove:
                if (parent is JsonObject fromObject)
                {
                    fromObject.Remove(property!);
                    return root;
                }

                if (parent is JsonArray fromArray)
                {
                    fromArray.RemoveAt(index);
                    return root;
                }

                return null;
            case MutationKind.Nest:
                return Put(root, parent, property, index, Marker(texts, HostileJson.Nested(10 + step.Amount * 2, node?.ToJsonString() ?? "null")));
            case MutationKind.Add:
                if (nodes.Select(n => n.Node).OfType<JsonObject>().ToList() is { Count: > 0 } objects)
                {
                    var target = objects[step.Pick % objects.Count];
                    target[MarkerFor(texts, HostileJson.Quote(step.Name))] = Marker(texts, step.Value);
                }

                return root;
            case MutationKind.Duplicate:
                if (nodes.Select(n => n.Node).OfType<JsonObject>().Where(o => o.Count > 0).ToList() is { Count: > 0 } filled)
                {
                    var target = filled[step.Pick % filled.Count];
                    var name = target.ElementAt(step.Amount % target.Count).Key;
                    // A marker field whose whole text ("marker":0) becomes the repeated name and its second value.
                    var marker = $"zzdup{texts.Count}zz";
                    target[marker] = 0;
                    texts[$"\"{marker}\":0"] = $"{HostileJson.Quote(name)}:{step.Value}";
                }

                return root;
            default:
                return root;
        }
    }

    private static JsonNode? Put(JsonNode? root, JsonNode? parent, string? property, int index, JsonNode value)
    {
        switch (parent)
        {
            case JsonObject inObject:
                inObject[property!] = value;
                return root;
            case JsonArray inArray:
                inArray[index] = value;
                return root;
            default:
                return value;
        }
    }

    /// <summary>
    /// A string standing for <paramref name="text"/> until the body is written out, as a value or as a name:
    /// either way it is written as <c>"marker"</c>, which is then replaced.
    /// </summary>
    private static string MarkerFor(Dictionary<string, string> texts, string text)
    {
        var marker = $"zzmark{texts.Count}zz";
        texts[$"\"{marker}\""] = text;
        return marker;
    }

    private static JsonNode Marker(Dictionary<string, string> texts, string text) => JsonValue.Create(MarkerFor(texts, text));

    private static void Walk(JsonNode? node, List<(JsonNode? Parent, string? Property, int Index, JsonNode? Node)> nodes)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    nodes.Add((obj, name, -1, child));
                    Walk(child, nodes);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    nodes.Add((array, null, i, array[i]));
                    Walk(array[i], nodes);
                }

                break;
        }
    }

    /// <summary>Puts <paramref name="sequence"/> just after an opening quote, inside a string or name, or at the start when there is none.</summary>
    private static byte[] InsertInString(byte[] body, int pick, byte[] sequence)
    {
        var quotes = body.Select((b, i) => (b, i)).Where(x => x.b == (byte)'"').Select(x => x.i + 1).ToList();
        var at = quotes.Count == 0 ? 0 : quotes[pick % quotes.Count];
        return [.. body[..at], .. sequence, .. body[at..]];
    }
}
