using System.Text.Json.Serialization;

namespace Conversations.Core.Wire;

/// <summary>A chunk's delta: fields appear only when the chunk carries them.</summary>
public sealed record DeltaObject(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);
