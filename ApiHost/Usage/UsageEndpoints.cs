using System.Security.Claims;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Documentation;
using Conversations.Core.Wire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conversations.ApiHost.Usage;

/// <summary><c>GET /v1/usage</c>: the caller's own requests and tokens, all time and today, and the limits that apply to them.</summary>
public static class UsageEndpoints
{
    public static RouteGroupBuilder MapUsage(this RouteGroupBuilder v1)
    {
        v1.MapGet("/usage", Mine)
            .WithTags("Usage")
            .RequireAuthorization(ApiKeyAuthentication.UserPolicy)
            .ProducesErrors(401, 403, 500, 503)
            .WithName("GetUsage")
            .WithSummary("Get the caller's usage, all time and today (UTC), and their limits");
        return v1;
    }

    private static async Task<Ok<UsageReportObject>> Mine(ClaimsPrincipal user, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IUserGrain>(user.UserId());
        var (report, limits) = (await grain.GetUsage(), await grain.GetLimits());
        return TypedResults.Ok(WireObjects.UsageReport(report.UserId, report.Total, report.Today, limits));
    }
}
