using Conversations.Core.Messages;

namespace Conversations.Core.Users;

/// <summary>Requests sent upstream and the tokens they consumed, over some span.</summary>
[GenerateSerializer, Immutable]
public sealed record UsageTotals(
    [property: Id(0)] long Requests,
    [property: Id(1)] TokenUsage Tokens)
{
    public static readonly UsageTotals None = new(0, TokenUsage.Zero);

    public UsageTotals Add(UsageTotals other) => new(Requests + other.Requests, Tokens.Add(other.Tokens));
}
