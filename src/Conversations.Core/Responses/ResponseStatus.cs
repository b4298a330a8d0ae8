namespace Conversations.Core.Responses;

/// <summary>Where a response stands; the wire names are OpenAI's (<c>in_progress</c>, …).</summary>
[GenerateSerializer]
public enum ResponseStatus
{
    Queued,
    InProgress,
    Completed,
    Incomplete,
    Failed,
    Cancelled,
}
