namespace Conversations.Core.Wire.Responses;

/// <param name="Effort">As asked (<c>low</c>, <c>medium</c>, …).</param>
/// <param name="Summary">Always null: no reasoning summaries are produced.</param>
public sealed record ReasoningObject(string Effort, string? Summary);
