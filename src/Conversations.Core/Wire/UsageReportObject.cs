namespace Conversations.Core.Wire;

/// <summary>A user's usage: all time and today (UTC).</summary>
public sealed record UsageReportObject(string Object, string UserId, UsageTotalsObject Total, UsageTotalsObject Today);
