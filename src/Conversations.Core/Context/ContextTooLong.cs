namespace Conversations.Core.Context;

/// <summary>A context that does not fit: it has <paramref name="Tokens"/> (after leaving out all it may), and only <paramref name="Fits"/> fit.</summary>
[GenerateSerializer, Immutable]
public sealed record ContextTooLong([property: Id(0)] long Tokens, [property: Id(1)] long Fits);
