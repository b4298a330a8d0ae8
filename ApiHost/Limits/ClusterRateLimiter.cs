using System.Threading.RateLimiting;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Access;
using Conversations.Core.Users;

namespace Conversations.ApiHost.Limits;

/// <summary>
/// ASP.NET Core's rate limiting middleware, with the counting done in the cluster: each request to a
/// route that calls upstream asks the caller's user grain, which counts the user's limits. Several
/// hosts serving one user therefore share one count. Every answer also sets OpenAI's
/// <c>x-ratelimit-*</c> headers.
/// </summary>
public sealed class ClusterRateLimiter(GrainReferences<IUserGrain> users) : PartitionedRateLimiter<HttpContext>
{
    private static readonly RateLimitLease NotYet = new AdmissionLease(new Admission.Refused("", TimeSpan.Zero, RateWindow.Unlimited, RateWindow.Unlimited));

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    /// <summary>Routes that do not call upstream pass at once; the others need the cluster, so are answered asynchronously.</summary>
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        Limited(resource) is null ? AdmissionLease.Free : NotYet;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (Limited(resource) is not { } userId)
        {
            return AdmissionLease.Free;
        }

        var admission = await users.For(userId).Admit();
        RateLimitHeaders.Write(resource.Response, admission);
        return new AdmissionLease(admission);
    }

    private static string? Limited(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<CallsUpstream>() is null
            ? null
            : context.User.FindFirst(ApiKeyAuthentication.UserIdClaim)?.Value;
}
