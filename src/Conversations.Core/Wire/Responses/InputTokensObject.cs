namespace Conversations.Core.Wire.Responses;

/// <summary>The answer to <c>POST /v1/responses/input_tokens</c>: <c>{"object":"response.input_tokens","input_tokens":…}</c>.</summary>
public sealed record InputTokensObject(string Object, long InputTokens);
