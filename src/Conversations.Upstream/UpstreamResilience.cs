using System.Net;
using Conversations.Core.Upstream;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Conversations.Upstream;

/// <summary>
/// How requests to the upstream are retried, timed out and cut off. The whole pipeline runs inside the
/// HTTP handler, so it ends when response headers arrive: a streamed body is never retried or timed out
/// by it once it has started (the stream's own idle timeout covers that).
/// </summary>
internal static class UpstreamResilience
{
    private static readonly HashSet<HttpStatusCode> RetriedStatuses =
    [
        HttpStatusCode.RequestTimeout,
        HttpStatusCode.TooManyRequests,
        HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable,
        HttpStatusCode.GatewayTimeout,
    ];

    /// <summary>Outermost first: total timeout, retry, circuit breaker, attempt timeout.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, UpstreamOptions options, TimeProvider time)
    {
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "UpstreamTotalTimeout", Timeout = options.TotalTimeout });
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "UpstreamRetry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, options, time)),
                DelayGenerator = args => ValueTask.FromResult(AskedWait(args.Outcome, time)),
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            Name = "UpstreamCircuitBreaker",
            FailureRatio = options.CircuitBreaker.FailureRatio,
            MinimumThroughput = options.CircuitBreaker.MinimumThroughput,
            SamplingDuration = options.CircuitBreaker.SamplingDuration,
            BreakDuration = options.CircuitBreaker.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsUpstreamFailure(args.Outcome)),
        });
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "UpstreamAttemptTimeout", Timeout = options.AttemptTimeout });
    }

    /// <summary>
    /// Retries what another attempt may fix: the retried statuses, timeouts and failed connections. The
    /// upstream's <c>x-should-retry</c> overrides the status; a wait longer than the configured cap is not
    /// retried, so the client hears the wait instead of the service sitting on it.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, UpstreamOptions options, TimeProvider time)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        if (outcome.Result is not { } response || response.IsSuccessStatusCode)
        {
            return false;
        }

        var should = Header(response, "x-should-retry");
        if (string.Equals(should, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (AskedWait(response, time) > options.MaxRetryAfter)
        {
            return false;
        }

        return string.Equals(should, "true", StringComparison.OrdinalIgnoreCase) || RetriedStatuses.Contains(response.StatusCode);
    }

    /// <summary>What counts against an upstream's health: its server failures and silence, not its rate limits or refusals.</summary>
    internal static bool IsUpstreamFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout
            or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout,
        _ => false,
    };

    /// <summary>The wait the upstream asked for (<c>retry-after-ms</c>, else <c>retry-after</c>), or null to back off as usual.</summary>
    internal static TimeSpan? AskedWait(Outcome<HttpResponseMessage> outcome, TimeProvider time) =>
        outcome.Result is { } response ? AskedWait(response, time) : null;

    internal static TimeSpan? AskedWait(HttpResponseMessage response, TimeProvider time) =>
        RetryAfter.Parse(Header(response, "retry-after-ms"), Header(response, "retry-after"), time.GetUtcNow());

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>True for the exceptions the pipeline itself raises when it gives up.</summary>
    internal static bool IsTimeout(Exception exception) => exception is TimeoutRejectedException;

    internal static bool IsOpenCircuit(Exception exception) => exception is BrokenCircuitException;
}
