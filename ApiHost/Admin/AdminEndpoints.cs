using Conversations.Abstractions.Users;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Http;
using Conversations.Core.Errors;
using Conversations.Core.Requests;
using Conversations.Core.Wire;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Admin;

/// <summary>Users, their keys and everyone's usage: the admin key only.</summary>
public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder v1)
    {
        var admin = v1.MapGroup("/admin").RequireAuthorization(ApiKeyAuthentication.AdminPolicy);
        admin.MapPost("/users", CreateUser);
        admin.MapGet("/users", ListUsers);
        admin.MapPost("/users/{id}/keys", IssueKey);
        admin.MapGet("/users/{id}/keys", ListKeys);
        admin.MapDelete("/keys/{keyId}", RevokeKey);
        admin.MapGet("/usage", AllUsage);
        return v1;
    }

    private static async Task<IResult> CreateUser(HttpRequest request, IGrainFactory grains, IOptions<ApiHostOptions> options)
    {
        var body = await RequestBody.ReadJson(request, options.Value.MaxRequestBodyBytes, request.HttpContext.RequestAborted);
        if (body.TryPickT1(out var bodyError, out var json))
        {
            return bodyError;
        }

        var parsed = AdminRequests.ParseCreateUser(json);
        if (parsed.TryPickT1(out var invalid, out var newUser))
        {
            return Problems.Of(invalid);
        }

        var user = await Admin(grains).CreateUser(newUser.Name, newUser.Limits);
        return TypedResults.Json(WireObjects.User(user), WireJson.Api.UserObject, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListUsers(IGrainFactory grains)
    {
        var users = (await Admin(grains).ListUsers()).Select(WireObjects.User).ToList();
        return TypedResults.Json(WireObjects.List(users, u => u.Id, hasMore: false), WireJson.Api.ListObjectUserObject);
    }

    private static async Task<IResult> IssueKey(string id, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(id, Ids.UserPrefix))
        {
            return Problems.Of(ApiErrors.MalformedId("user_id", id));
        }

        var issued = await Admin(grains).IssueKey(id);
        return issued.Match<IResult>(
            key => TypedResults.Json(WireObjects.IssuedKey(key.Record, key.Key), WireJson.Api.ApiKeyObject, statusCode: StatusCodes.Status201Created),
            error => Problems.Of(NotFound(error)));
    }

    private static async Task<IResult> ListKeys(string id, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(id, Ids.UserPrefix))
        {
            return Problems.Of(ApiErrors.MalformedId("user_id", id));
        }

        var keys = await Admin(grains).ListKeys(id);
        return keys.Match<IResult>(
            found => TypedResults.Json(WireObjects.List(found.Select(WireObjects.Key).ToList(), k => k.Id, hasMore: false), WireJson.Api.ListObjectApiKeyObject),
            error => Problems.Of(NotFound(error)));
    }

    private static async Task<IResult> RevokeKey(string keyId, IGrainFactory grains, KeyResolver keys)
    {
        if (!Ids.IsWellFormed(keyId, Ids.KeyPrefix))
        {
            return Problems.Of(ApiErrors.MalformedId("key_id", keyId));
        }

        var revoked = await Admin(grains).RevokeKey(keyId);
        return revoked.Match<IResult>(
            key =>
            {
                keys.Forget(key.Hash);
                return TypedResults.Json(WireObjects.Key(key), WireJson.Api.ApiKeyObject);
            },
            error => Problems.Of(NotFound(error)));
    }

    private static async Task<IResult> AllUsage(IGrainFactory grains)
    {
        var reports = (await Admin(grains).AllUsage()).Select(r => WireObjects.UsageReport(r.UserId, r.Total, r.Today)).ToList();
        return TypedResults.Json(WireObjects.List(reports, r => r.UserId, hasMore: false), WireJson.Api.ListObjectUsageReportObject);
    }

    private static IAdminGrain Admin(IGrainFactory grains) => grains.GetGrain<IAdminGrain>(0);

    private static ApiError NotFound(AdminError error) => error switch
    {
        AdminError.UserNotFound e => new(404, ApiErrors.NotFoundType, "not_found", $"No user found with id '{e.UserId}'.", null),
        AdminError.KeyNotFound e => new(404, ApiErrors.NotFoundType, "not_found", $"No key found with id '{e.KeyId}'.", null),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "Unknown admin error."),
    };
}
