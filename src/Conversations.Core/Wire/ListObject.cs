namespace Conversations.Core.Wire;

/// <summary>OpenAI's cursor-paged list.</summary>
public sealed record ListObject<T>(string Object, IReadOnlyList<T> Data, string? FirstId, string? LastId, bool HasMore);
