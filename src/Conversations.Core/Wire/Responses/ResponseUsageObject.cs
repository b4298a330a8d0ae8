namespace Conversations.Core.Wire.Responses;

/// <summary>A response's usage: all five keys and both detail objects, as the Responses spec requires.</summary>
public sealed record ResponseUsageObject(
    long InputTokens,
    InputTokensDetailsObject InputTokensDetails,
    long OutputTokens,
    OutputTokensDetailsObject OutputTokensDetails,
    long TotalTokens);
