namespace Conversations.Core.Wire.Responses;

/// <summary>Why a response failed.</summary>
/// <param name="Code">Always a string from OpenAI's list (<c>server_error</c>, <c>rate_limit_exceeded</c>, …): the .NET SDK refuses a null.</param>
public sealed record ResponseErrorObject(string Code, string Message);
