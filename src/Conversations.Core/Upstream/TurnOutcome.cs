using Conversations.Core.Responses;

namespace Conversations.Core.Upstream;

/// <summary>How a turn the upstream finished ended, as the Responses API tells it: a status, and for an incomplete one, why.</summary>
/// <param name="IncompleteReason"><see cref="MaxOutputTokens"/> or <see cref="ContentFilter"/> when incomplete; null otherwise.</param>
public sealed record TurnOutcome(ResponseStatus Status, string? IncompleteReason)
{
    public const string MaxOutputTokens = "max_output_tokens";
    public const string ContentFilter = "content_filter";

    public static readonly TurnOutcome Completed = new(ResponseStatus.Completed, null);
}
