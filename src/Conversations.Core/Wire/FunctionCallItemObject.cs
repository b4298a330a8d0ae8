using System.Text.Json.Serialization;

namespace Conversations.Core.Wire;

/// <summary>A call the model asked the client to make (<c>type: "function_call"</c>).</summary>
/// <param name="Arguments">A JSON text in a string, as OpenAI sends it (the .NET SDK refuses an object here).</param>
/// <param name="CreatedAt">This service's addition in conversation item lists; left out elsewhere.</param>
public sealed record FunctionCallItemObject(
    string Id,
    string CallId,
    string Name,
    string Arguments,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CreatedAt = null) : ItemObject(Id);
