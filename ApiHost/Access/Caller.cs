using System.Security.Claims;

namespace Conversations.ApiHost.Access;

/// <summary>The authenticated caller of a request.</summary>
public static class Caller
{
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthentication.UserIdClaim) ?? throw new InvalidOperationException("The request is not authenticated.");
}
