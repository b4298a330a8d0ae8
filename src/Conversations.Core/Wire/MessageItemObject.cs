using System.Text.Json.Serialization;

namespace Conversations.Core.Wire;

/// <summary>A message item (<c>type: "message"</c>).</summary>
/// <param name="Status"><c>completed</c>, <c>incomplete</c> or <c>in_progress</c>.</param>
/// <param name="CreatedAt">This service's addition in conversation item lists; left out elsewhere, as OpenAI has no such field.</param>
public sealed record MessageItemObject(
    string Id,
    string Role,
    string Status,
    IReadOnlyList<ContentPartObject> Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CreatedAt = null) : ItemObject(Id);
