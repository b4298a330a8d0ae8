namespace Conversations.Core.Users;

/// <summary>A user's own limits. A null field falls back to the service-wide default from configuration.</summary>
[GenerateSerializer, Immutable]
public sealed record UserLimits(
    [property: Id(0)] int? RequestsPerMinute,
    [property: Id(1)] long? TokensPerDay,
    [property: Id(2)] int? ConcurrentStreams)
{
    public static readonly UserLimits Defaults = new(null, null, null);
}
