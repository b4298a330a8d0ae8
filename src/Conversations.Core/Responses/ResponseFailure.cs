namespace Conversations.Core.Responses;

/// <summary>Why a response failed, as its <c>error</c> object says: a code from OpenAI's list (<c>server_error</c>, <c>rate_limit_exceeded</c>, …) and a message.</summary>
[GenerateSerializer, Immutable]
public sealed record ResponseFailure(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message);
