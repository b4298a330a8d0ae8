namespace Conversations.Core.Wire.Responses;

/// <param name="CachedTokens">Prompt tokens the upstream served from its cache.</param>
/// <param name="CacheWriteTokens">Always 0: no upstream this service speaks to reports it.</param>
public sealed record InputTokensDetailsObject(long CachedTokens, long CacheWriteTokens);
