using System.Text.Json.Serialization;

namespace Conversations.Core.Wire;

/// <summary>A user's usage: all time and today (UTC).</summary>
/// <param name="Limits">On the user's own report (<c>GET /v1/usage</c>): the limits that apply to them now, null for none.
/// Left out of the admin's list, which has each user's own limits beside it.</param>
public sealed record UsageReportObject(
    string Object,
    string UserId,
    UsageTotalsObject Total,
    UsageTotalsObject Today,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LimitsObject? Limits = null);
