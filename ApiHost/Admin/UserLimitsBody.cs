using System.ComponentModel.DataAnnotations;

namespace Conversations.ApiHost.Admin;

/// <summary>A new user's <c>limits</c> as the OpenAPI document shows them (the bounds are the parser's).</summary>
public sealed record UserLimitsBody
{
    [Range(1, 1_000_000)]
    public int? RequestsPerMinute { get; init; }

    [Range(1, int.MaxValue)]
    public int? TokensPerDay { get; init; }

    [Range(1, 100_000)]
    public int? ConcurrentStreams { get; init; }
}
