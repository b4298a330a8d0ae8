using System.Security.Claims;
using Conversations.Abstractions.Access;

namespace Conversations.ApiHost.Access;

/// <summary>
/// A key's owner as ASP.NET Core sees them: the usual claims (user, key, role), and the user id at hand
/// without searching them, since every request asks for it. One is made per key when its answer is cached
/// (<see cref="KeyResolver"/>) and shared by that key's requests; nothing changes it after it is made.
/// </summary>
public sealed class CallerIdentity : ClaimsIdentity
{
    public CallerIdentity(Principal principal)
        : base(
            [
                new Claim(ApiKeyAuthentication.UserIdClaim, principal.UserId),
                new Claim(ApiKeyAuthentication.KeyIdClaim, principal.KeyId),
                new Claim(DefaultRoleClaimType, principal.IsAdmin ? ApiKeyAuthentication.AdminRole : ApiKeyAuthentication.UserRole),
            ],
            ApiKeyAuthentication.SchemeName)
    {
        UserId = principal.UserId;
    }

    public string UserId { get; }
}
