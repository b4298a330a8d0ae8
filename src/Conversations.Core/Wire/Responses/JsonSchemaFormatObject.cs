using System.Text.Json;

namespace Conversations.Core.Wire.Responses;

/// <param name="Schema">The JSON Schema as the client sent it, written as JSON (not as a string).</param>
/// <param name="Description">Null when the client gave none.</param>
/// <param name="Strict">Null when the client did not say.</param>
public sealed record JsonSchemaFormatObject(string Name, JsonElement Schema, string? Description, bool? Strict) : TextFormatObject;
