using System.Diagnostics.Metrics;
using Conversations.Core.Users;

namespace Conversations.Grains;

/// <summary>
/// What the service sends to models, as OpenTelemetry-ready metrics (meter <see cref="MeterName"/>):
/// upstream requests, and tokens by kind (<c>prompt</c>, <c>completion</c>). Recorded once per request
/// by the user's grain, whichever route the request came by.
/// </summary>
public static class UsageMetrics
{
    public const string MeterName = "Conversations";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("conversations.upstream.requests", description: "Requests sent to the upstream model.");
    private static readonly Counter<long> Tokens = Meter.CreateCounter<long>("conversations.upstream.tokens", unit: "{token}", description: "Tokens the upstream model reported (or that were counted when it reported none).");

    public static void Record(UsageTotals usage)
    {
        Requests.Add(usage.Requests);
        Tokens.Add(usage.Tokens.PromptTokens, new KeyValuePair<string, object?>("kind", "prompt"));
        Tokens.Add(usage.Tokens.CompletionTokens, new KeyValuePair<string, object?>("kind", "completion"));
    }
}
