using System.Security.Claims;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Access;
using Conversations.Core.Wire;

namespace Conversations.ApiHost.Usage;

/// <summary><c>GET /v1/usage</c>: the caller's own requests and tokens, all time and today.</summary>
public static class UsageEndpoints
{
    public static RouteGroupBuilder MapUsage(this RouteGroupBuilder v1)
    {
        v1.MapGet("/usage", Mine).RequireAuthorization(ApiKeyAuthentication.UserPolicy);
        return v1;
    }

    private static async Task<IResult> Mine(ClaimsPrincipal user, IGrainFactory grains)
    {
        var report = await grains.GetGrain<IUserGrain>(user.UserId()).GetUsage();
        return TypedResults.Json(WireObjects.UsageReport(report.UserId, report.Total, report.Today), WireJson.Api.UsageReportObject);
    }
}
