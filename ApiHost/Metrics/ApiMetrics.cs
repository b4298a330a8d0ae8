using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Conversations.Core.Messages;
using Conversations.Grains;

namespace Conversations.ApiHost.Metrics;

/// <summary>
/// What this host serves, as OpenTelemetry metrics on the service's meter (<see cref="UsageMetrics.MeterName"/>):
/// requests, tokens, open streams, turn durations and times to first token. Every label has few values — a
/// route template, a status code, a model the upstream answered as, an outcome — and never a user, a
/// conversation or a key, so the series stay few however many users there are. Recording is a no-op
/// until an exporter listens (OTLP or <c>/metrics</c>).
/// </summary>
public static class ApiMetrics
{
    /// <summary>The model label of a turn whose model is not known (no chunk named one).</summary>
    public const string UnknownModel = "unknown";

    /// <summary>
    /// From 5 ms to 10 minutes (the longest single-shot reply the upstream timeouts allow): a turn's time
    /// spans that range, which the exporters' default buckets (made for milliseconds) do not fit.
    /// </summary>
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    };

    private static readonly Meter Meter = new(UsageMetrics.MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "conversations.http.requests", "{request}", "Requests this host answered, by route template and status code.");

    private static readonly Counter<long> Tokens = Meter.CreateCounter<long>(
        "conversations.tokens", "{token}", "Tokens of the turns this host served, by model and kind (prompt or completion).");

    private static readonly UpDownCounter<long> Streams = Meter.CreateUpDownCounter<long>(
        "conversations.streams.open", "{stream}", "Event streams this host is sending now, by route.");

    private static readonly Histogram<double> TurnDuration = Meter.CreateHistogram(
        "conversations.turn.duration", "s",
        "From a turn's request arriving to the turn's end, by model, route and outcome (completed, incomplete, failed).",
        tags: null, advice: Seconds);

    private static readonly Histogram<double> FirstToken = Meter.CreateHistogram(
        "conversations.turn.time_to_first_token", "s",
        "From a streamed turn's request arriving to its first output token, by model and route.",
        tags: null, advice: Seconds);

    /// <summary>True while any exporter listens to requests, which every exporter of this meter does.</summary>
    public static bool Enabled => Requests.Enabled;

    public static void Request(string route, int status) =>
        Requests.Add(1, new("route", route), new("status", status));

    public static void Turn(string route, string model, string outcome, TimeSpan duration, TokenUsage? usage)
    {
        TurnDuration.Record(duration.TotalSeconds, new("model", model), new("route", route), new("outcome", outcome));
        if (usage is not null)
        {
            Tokens.Add(usage.PromptTokens, new("model", model), new("kind", "prompt"));
            Tokens.Add(usage.CompletionTokens, new("model", model), new("kind", "completion"));
        }
    }

    public static void TimeToFirstToken(string route, string model, TimeSpan elapsed) =>
        FirstToken.Record(elapsed.TotalSeconds, new("model", model), new("route", route));

    /// <summary>
    /// <paramref name="events"/>, counted as an open stream from its first read to its end. Whether to count
    /// is decided once, so a stream counted in is always counted out.
    /// </summary>
    public static IAsyncEnumerable<T> CountedStream<T>(IAsyncEnumerable<T> events, HttpContext context) =>
        Streams.Enabled ? Counted(events, RouteLabel.Of(context)) : events;

    private static async IAsyncEnumerable<T> Counted<T>(IAsyncEnumerable<T> events, string route, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tag = new KeyValuePair<string, object?>("route", route);
        Streams.Add(1, tag);
        try
        {
            await foreach (var item in events.WithCancellation(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            Streams.Add(-1, tag);
        }
    }
}
