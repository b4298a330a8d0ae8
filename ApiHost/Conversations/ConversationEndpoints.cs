using System.Security.Claims;
using Conversations.Abstractions.Grains;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Http;
using Conversations.ApiHost.Limits;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Requests;
using Conversations.Core.Wire;
using Conversations.Grains;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// The conversation routes. Each maps HTTP to one grain call and the grain's answer back to HTTP;
/// the rules live in the core and the grain, not here.
/// </summary>
public static class ConversationEndpoints
{
    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder v1)
    {
        var conversations = v1.MapGroup("/conversations").RequireAuthorization(ApiKeyAuthentication.UserPolicy);
        conversations.MapPost("", Create);
        conversations.MapGet("", List);
        conversations.MapGet("/{id}", Get);
        conversations.MapPost("/{id}", Update);
        conversations.MapDelete("/{id}", Delete);
        conversations.MapGet("/{id}/items", ListItems);
        conversations.MapPost("/{id}/messages", TurnEndpoint.Send).WithMetadata(CallsUpstream.Instance);
        conversations.MapConversationItems();
        return v1;
    }

    private static async Task<IResult> Create(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<ApiHostOptions> options)
    {
        var body = await RequestBody.ReadJson(request, options.Value.MaxRequestBodyBytes, request.HttpContext.RequestAborted);
        if (body.TryPickT1(out var bodyError, out var json))
        {
            return bodyError;
        }

        var parsed = ConversationRequests.ParseCreate(json);
        if (parsed.TryPickT1(out var invalid, out var create))
        {
            return Problems.Of(invalid);
        }

        var id = IdGenerator.New(Ids.ConversationPrefix);
        var created = await grains.GetGrain<IConversationGrain>(id).Create(user.UserId(), create);
        return created.Match<IResult>(
            // 200, not 201: the official SDKs take only 200 for success.
            conversation => TypedResults.Json(WireObjects.Conversation(conversation), WireJson.Api.ConversationObject),
            error => Problems.Of(error, id));
    }

    private static async Task<IResult> List(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var query = ConversationRequests.ParsePage(request.Query["limit"], request.Query["order"], request.Query["after"], SortOrder.Descending);
        if (query.TryPickT1(out var invalid, out var page))
        {
            return Problems.Of(invalid);
        }

        var found = await grains.GetGrain<IConversationDirectoryGrain>(0).ListByOwner(user.UserId(), page);
        var data = found.Items.Select(WireObjects.Conversation).ToList();
        return TypedResults.Json(WireObjects.List(data, c => c.Id, found.HasMore), WireJson.Api.ListObjectConversationObject);
    }

    private static async Task<IResult> Get(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(id, Ids.ConversationPrefix))
        {
            return Problems.Of(ApiErrors.MalformedId("conversation_id", id));
        }

        var found = await grains.GetGrain<IConversationGrain>(id).Get(user.UserId());
        return found.Match<IResult>(
            conversation => TypedResults.Json(WireObjects.Conversation(conversation), WireJson.Api.ConversationObject),
            error => Problems.Of(error, id));
    }

    private static async Task<IResult> Update(string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<ApiHostOptions> options)
    {
        if (!Ids.IsWellFormed(id, Ids.ConversationPrefix))
        {
            return Problems.Of(ApiErrors.MalformedId("conversation_id", id));
        }

        var body = await RequestBody.ReadJson(request, options.Value.MaxRequestBodyBytes, request.HttpContext.RequestAborted);
        if (body.TryPickT1(out var bodyError, out var json))
        {
            return bodyError;
        }

        var parsed = ConversationRequests.ParseUpdate(json);
        if (parsed.TryPickT1(out var invalid, out var update))
        {
            return Problems.Of(invalid);
        }

        var updated = await grains.GetGrain<IConversationGrain>(id).Update(user.UserId(), update);
        return updated.Match<IResult>(
            conversation => TypedResults.Json(WireObjects.Conversation(conversation), WireJson.Api.ConversationObject),
            error => Problems.Of(error, id));
    }

    private static async Task<IResult> Delete(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(id, Ids.ConversationPrefix))
        {
            return Problems.Of(ApiErrors.MalformedId("conversation_id", id));
        }

        var deleted = await grains.GetGrain<IConversationGrain>(id).Delete(user.UserId());
        return deleted.Match<IResult>(
            conversation => TypedResults.Json(WireObjects.ConversationDeleted(conversation.Id), WireJson.Api.DeletedObject),
            error => Problems.Of(error, id));
    }

    private static async Task<IResult> ListItems(string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsWellFormed(id, Ids.ConversationPrefix))
        {
            return Problems.Of(ApiErrors.MalformedId("conversation_id", id));
        }

        var include = IncludeQuery.Parse(request.Query["include[]"], request.Query["include"]);
        if (include.TryPickT1(out var badInclude, out _))
        {
            return Problems.Of(badInclude);
        }

        var query = ConversationRequests.ParsePage(request.Query["limit"], request.Query["order"], request.Query["after"], SortOrder.Descending);
        if (query.TryPickT1(out var invalid, out var page))
        {
            return Problems.Of(invalid);
        }

        var items = await grains.GetGrain<IConversationGrain>(id).ListItems(user.UserId(), page);
        return items.Match<IResult>(
            found =>
            {
                var data = found.Items.Select(ItemWire.InConversation).ToList();
                return TypedResults.Json(WireObjects.List(data, item => item.Id, found.HasMore), WireJson.Api.ListObjectItemObject);
            },
            error => Problems.Of(error, id));
    }
}
