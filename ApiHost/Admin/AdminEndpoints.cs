using Conversations.Abstractions.Users;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Documentation;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Http;
using Conversations.Core.Errors;
using Conversations.Core.Requests;
using Conversations.Core.Wire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Admin;

/// <summary>Users, their keys and everyone's usage: the admin key only.</summary>
public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder v1)
    {
        var admin = v1.MapGroup("/admin")
            .WithTags("Admin")
            .RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesErrors(401, 403, 500, 503);
        admin.MapPost("/users", CreateUser)
            .WithName("CreateUser")
            .WithSummary("Create a user, with limits of their own if given")
            .AcceptsJson<CreateUserBody>()
            .ProducesErrors(400, 413);
        admin.MapGet("/users", ListUsers)
            .WithName("ListUsers")
            .WithSummary("List the users");
        admin.MapGet("/usage", AllUsage)
            .WithName("ListUsage")
            .WithSummary("List every user's usage");

        var user = admin.MapGroup("/users/{id}")
            .RequireWellFormedId("id", Ids.UserPrefix, "user_id")
            .ProducesErrors(404);
        user.MapPost("/keys", IssueKey)
            .WithName("IssueKey")
            .WithSummary("Issue a key for a user")
            .WithDescription("The response is the only one that ever shows the whole key.");
        user.MapGet("/keys", ListKeys)
            .WithName("ListKeys")
            .WithSummary("List a user's keys");

        var key = admin.MapGroup("/keys/{keyId}")
            .RequireWellFormedId("keyId", Ids.KeyPrefix, "key_id")
            .ProducesErrors(404);
        key.MapDelete("", RevokeKey)
            .WithName("RevokeKey")
            .WithSummary("Revoke a key")
            .WithDescription("Revoking a key again answers the same record.");
        return v1;
    }

    private static async Task<Results<Created<UserObject>, ErrorResult>> CreateUser(HttpRequest request, IGrainFactory grains, IOptions<ApiHostOptions> options)
    {
        var parsed = await RequestBody.Read(request, options.Value.MaxRequestBodyBytes, AdminRequests.ParseCreateUser);
        if (parsed.TryPickT1(out var invalid, out var newUser))
        {
            return invalid;
        }

        var user = await Admin(grains).CreateUser(newUser.Name, newUser.Limits);
        return TypedResults.Created((string?)null, WireObjects.User(user));
    }

    private static async Task<Ok<ListObject<UserObject>>> ListUsers(IGrainFactory grains)
    {
        var users = (await Admin(grains).ListUsers()).Select(WireObjects.User).ToList();
        return TypedResults.Ok(WireObjects.List(users, u => u.Id, hasMore: false));
    }

    private static async Task<Results<Created<ApiKeyObject>, ErrorResult>> IssueKey(string id, IGrainFactory grains)
    {
        var issued = await Admin(grains).IssueKey(id);
        return issued.Match<Results<Created<ApiKeyObject>, ErrorResult>>(
            key => TypedResults.Created((string?)null, WireObjects.IssuedKey(key.Record, key.Key)),
            error => Problems.Of(NotFound(error)));
    }

    private static async Task<Results<Ok<ListObject<ApiKeyObject>>, ErrorResult>> ListKeys(string id, IGrainFactory grains)
    {
        var keys = await Admin(grains).ListKeys(id);
        return keys.Match<Results<Ok<ListObject<ApiKeyObject>>, ErrorResult>>(
            found => TypedResults.Ok(WireObjects.List(found.Select(WireObjects.Key).ToList(), k => k.Id, hasMore: false)),
            error => Problems.Of(NotFound(error)));
    }

    private static async Task<Results<Ok<ApiKeyObject>, ErrorResult>> RevokeKey(string keyId, IGrainFactory grains, KeyResolver keys)
    {
        var revoked = await Admin(grains).RevokeKey(keyId);
        if (revoked.TryPickT1(out var error, out var key))
        {
            return Problems.Of(NotFound(error));
        }

        keys.Forget(key.Hash);
        return TypedResults.Ok(WireObjects.Key(key));
    }

    private static async Task<Ok<ListObject<UsageReportObject>>> AllUsage(IGrainFactory grains)
    {
        var reports = (await Admin(grains).AllUsage()).Select(r => WireObjects.UsageReport(r.UserId, r.Total, r.Today)).ToList();
        return TypedResults.Ok(WireObjects.List(reports, r => r.UserId, hasMore: false));
    }

    private static IAdminGrain Admin(IGrainFactory grains) => grains.GetGrain<IAdminGrain>(0);

    private static ApiError NotFound(AdminError error) => error switch
    {
        AdminError.UserNotFound e => new(404, ApiErrors.NotFoundType, "not_found", $"No user found with id '{e.UserId}'.", null),
        AdminError.KeyNotFound e => new(404, ApiErrors.NotFoundType, "not_found", $"No key found with id '{e.KeyId}'.", null),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "Unknown admin error."),
    };
}
