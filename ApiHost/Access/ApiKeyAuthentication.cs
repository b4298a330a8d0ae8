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
/// same), 403 for a valid key on a route it may not use. Keys that fail count against the client's address
/// (<see cref="FailedKeyThrottle"/>): past a few each failure is answered slowly, and then the address is
/// refused with 429 before its keys are checked.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    KeyResolver keys,
    FailedKeyThrottle throttle,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
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

        if (throttle.Refusal(Context.Connection.RemoteIpAddress) is { } retryAfter)
        {
            return Fail(ApiErrors.TooManyFailedKeys(retryAfter));
        }

        var value = header[0]!.Trim();
        if (header.Count > 1 || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(ApiErrors.WrongScheme(), counts: true);
        }

        var key = value["Bearer ".Length..].Trim();
        if (key.Length is 0 or > 512)
        {
            return Fail(ApiErrors.InvalidKey(), counts: true);
        }

        var principal = await keys.Resolve(key);
        if (principal is null)
        {
            return Fail(ApiErrors.InvalidKey(), counts: true);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// Counted here rather than where the key is checked, so that only a key sent to a route that needs one
    /// counts (a stray header on a health probe does not).
    /// </summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (error, counts) = Context.Items[FailureKey] is ValueTuple<ApiError, bool> failure ? failure : (ApiErrors.MissingKey(), false);
        if (counts && throttle.RecordFailure(Context.Connection.RemoteIpAddress) is var delay && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, Context.RequestAborted);
        }

        await ErrorResult.Write(Response, error);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ErrorResult.Write(Response, Context.User.IsInRole(AdminRole)
            ? new ApiError(403, ApiErrors.Permission, "insufficient_permissions",
                "The admin key manages users and keys; use a user's key for this route.", null)
            : ApiErrors.AdminOnly());

    /// <param name="counts">A key was sent and was wrong: it counts against the client's address.</param>
    private AuthenticateResult Fail(ApiError error, bool counts = false)
    {
        Context.Items[FailureKey] = (error, counts);
        return AuthenticateResult.Fail(error.Code ?? "invalid_api_key");
    }
}
