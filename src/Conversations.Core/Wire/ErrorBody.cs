namespace Conversations.Core.Wire;

/// <summary><c>param</c> and <c>code</c> are always present, as null when there is none, as OpenAI sends them.</summary>
public sealed record ErrorBody(string Message, string Type, string? Param, string? Code);
