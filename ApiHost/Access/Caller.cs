using System.Security.Claims;

namespace Conversations.ApiHost.Access;

/// <summary>The authenticated caller of a request.</summary>
public static class Caller
{
    public static string UserId(this ClaimsPrincipal user) =>
        user.UserIdOrNull() ?? throw new InvalidOperationException("The request is not authenticated.");

    /// <summary>The caller's user id, or null when the request carries no valid key.</summary>
    public static string? UserIdOrNull(this ClaimsPrincipal user) =>
        user.Identity is CallerIdentity caller ? caller.UserId : user.FindFirstValue(ApiKeyAuthentication.UserIdClaim);
}
