using System.Text.Json.Serialization;

namespace Conversations.Core.Wire;

/// <summary>What the client's function returned (<c>type: "function_call_output"</c>).</summary>
/// <param name="Output">Always a string: the .NET SDK refuses the array-of-parts form.</param>
/// <param name="CreatedAt">This service's addition in conversation item lists; left out elsewhere.</param>
public sealed record FunctionCallOutputItemObject(
    string Id,
    string CallId,
    string Output,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CreatedAt = null) : ItemObject(Id);
