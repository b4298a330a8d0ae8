using Conversations.Core.Users;

namespace Conversations.Abstractions.Users;

/// <summary>A user's usage: all time, and today (UTC), which is what the tokens-per-day limit counts.</summary>
[GenerateSerializer, Immutable]
public sealed record UsageReport(
    [property: Id(0)] string UserId,
    [property: Id(1)] UsageTotals Total,
    [property: Id(2)] UsageTotals Today);
