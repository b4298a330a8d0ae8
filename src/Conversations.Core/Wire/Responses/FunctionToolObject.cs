using System.Text.Json;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// A function tool as echoed in a Response. Function tools are the only kind the service accepts, so
/// this is a plain record whose <c>type</c> is always <c>function</c>, not a union.
/// </summary>
/// <param name="Parameters">The JSON Schema as the client sent it, written as JSON; null for none.</param>
/// <param name="Strict">Null when the client did not say.</param>
public sealed record FunctionToolObject(string Type, string Name, string? Description, JsonElement? Parameters, bool? Strict);
