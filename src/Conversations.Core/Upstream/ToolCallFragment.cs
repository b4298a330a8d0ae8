namespace Conversations.Core.Upstream;

/// <summary>
/// One entry of a stream chunk's <c>delta.tool_calls</c>: a piece of the tool call at <see cref="Index"/>.
/// The first piece of a call names its id and function; the pieces after it carry only more of the
/// arguments, which joined in order are the whole arguments text.
/// </summary>
/// <param name="Id">The call's id, when this piece says it (the first one does); null otherwise.</param>
/// <param name="Name">The function's name, when this piece says it; null otherwise.</param>
/// <param name="Arguments">This piece of the arguments; empty when it carries none.</param>
[GenerateSerializer, Immutable]
public sealed record ToolCallFragment(
    [property: Id(0)] int Index,
    [property: Id(1)] string? Id,
    [property: Id(2)] string? Name,
    [property: Id(3)] string Arguments);
