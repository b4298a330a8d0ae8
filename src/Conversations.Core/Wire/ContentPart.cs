using System.Text.Json.Serialization;

namespace Conversations.Core.Wire;

/// <summary>
/// <c>input_text</c> for what people wrote, <c>output_text</c> (with its <c>annotations</c>) for what the
/// model wrote, as in OpenAI's conversation items.
/// </summary>
public sealed record ContentPart(
    string Type,
    string Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Annotations);
