namespace Conversations.Core.Requests;

/// <summary>A validated <c>POST /v1/conversations/{id}/messages</c> body: one user turn.</summary>
[GenerateSerializer, Immutable]
public sealed record SendMessage(
    [property: Id(0)] string Content,
    [property: Id(1)] bool Stream,
    [property: Id(2)] TurnOverrides Overrides);
