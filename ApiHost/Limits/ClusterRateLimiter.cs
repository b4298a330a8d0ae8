using System.Threading.RateLimiting;
using Conversations.ApiHost.Access;
using Conversations.Core.Users;

namespace Conversations.ApiHost.Limits;

/// <summary>
/// ASP.NET Core's rate limiting middleware, with the counting done in the cluster: a request to a route
/// that calls upstream is admitted from this host's reservation of the caller's requests, or else by the
/// caller's user grain, which counts the user's limits (<see cref="AdmissionBudgets"/>). Several hosts
/// serving one user therefore share one count. Every answer also sets OpenAI's <c>x-ratelimit-*</c> headers.
/// </summary>
public sealed class ClusterRateLimiter(AdmissionBudgets budgets) : PartitionedRateLimiter<HttpContext>
{
    private static readonly RateLimitLease NotYet = new AdmissionLease(new Admission.Refused("", TimeSpan.Zero, RateWindow.Unlimited, RateWindow.Unlimited));

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    /// <summary>
    /// Routes that do not call upstream pass at once, as do requests this host has reserved; the others
    /// need the cluster, so are answered asynchronously.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        if (Limited(resource) is not { } userId)
        {
            return AdmissionLease.Free;
        }

        if (!budgets.TryTake(userId, out var admission))
        {
            return NotYet;
        }

        RateLimitHeaders.Write(resource.Response, admission);
        return new AdmissionLease(admission);
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (Limited(resource) is not { } userId)
        {
            return AdmissionLease.Free;
        }

        var admission = await budgets.Take(userId);
        RateLimitHeaders.Write(resource.Response, admission);
        return new AdmissionLease(admission);
    }

    private static string? Limited(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<CallsUpstream>() is null
            ? null
            : context.User.UserIdOrNull();
}
