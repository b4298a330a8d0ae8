namespace Conversations.Core.Responses;

/// <summary>A function the model may call.</summary>
/// <param name="ParametersJson">The JSON Schema of its arguments, as the client sent it; null for none.</param>
/// <param name="Strict">Whether the model must follow the schema exactly; null when the client did not say.</param>
[GenerateSerializer, Immutable]
public sealed record FunctionTool(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string? ParametersJson,
    [property: Id(3)] bool? Strict);
