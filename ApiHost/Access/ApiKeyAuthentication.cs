using System.Security.Claims;
using System.Text.Encodings.Web;
using Conversations.Abstractions.Access;
using Conversations.ApiHost.Errors;
using Conversations.Core.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Access;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>, checked against the cluster's keys. Failures answer in
/// OpenAI's envelope: 401 for a missing, malformed, unknown or revoked key (the last three read the
/// same), 403 for a valid key on a route it may not use.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    KeyResolver keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string UserPolicy = "user";
    public const string AdminPolicy = "admin";
    public const string UserIdClaim = "conversations:user";
    public const string KeyIdClaim = "conversations:key";
    public const string AdminRole = "admin";
    public const string UserRole = "user";

    private static readonly object FailureKey = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization;
        if (header.Count == 0 || string.IsNullOrWhiteSpace(header[0]))
        {
            return Fail(ApiErrors.MissingKey());
        }

        var value = header[0]!.Trim();
        if (header.Count > 1 || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(ApiErrors.WrongScheme());
        }

        var key = value["Bearer ".Length..].Trim();
        if (key.Length is 0 or > 512)
        {
            return Fail(ApiErrors.InvalidKey());
        }

        var principal = await keys.Resolve(key);
        if (principal is null)
        {
            return Fail(ApiErrors.InvalidKey());
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(UserIdClaim, principal.UserId),
                new Claim(KeyIdClaim, principal.KeyId),
                new Claim(ClaimTypes.Role, principal.IsAdmin ? AdminRole : UserRole),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ErrorResult.Write(Response, Context.Items[FailureKey] as ApiError ?? ApiErrors.MissingKey());

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ErrorResult.Write(Response, Context.User.IsInRole(AdminRole)
            ? new ApiError(403, ApiErrors.Permission, "insufficient_permissions",
                "The admin key manages users and keys; use a user's key for this route.", null)
            : ApiErrors.AdminOnly());

    private AuthenticateResult Fail(ApiError error)
    {
        Context.Items[FailureKey] = error;
        return AuthenticateResult.Fail(error.Code ?? "invalid_api_key");
    }
}
