namespace Conversations.Core.Wire.Responses;

/// <param name="Reason"><c>max_output_tokens</c> or <c>content_filter</c>.</param>
public sealed record IncompleteDetailsObject(string Reason);
