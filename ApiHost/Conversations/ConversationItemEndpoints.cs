using System.Security.Claims;
using Conversations.Abstractions.Grains;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Http;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Core.Wire;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// A conversation's items, one by one: <c>POST /v1/conversations/{id}/items</c> adds items without calling
/// the model; <c>GET</c> and <c>DELETE /v1/conversations/{id}/items/{item_id}</c> read and delete one.
/// </summary>
public static class ConversationItemEndpoints
{
    public static RouteGroupBuilder MapConversationItems(this RouteGroupBuilder conversations)
    {
        conversations.MapPost("/{id}/items", Append);
        conversations.MapGet("/{id}/items/{itemId}", Get);
        conversations.MapDelete("/{id}/items/{itemId}", Delete);
        return conversations;
    }

    private static async Task<IResult> Append(string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<ApiHostOptions> options)
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

        var body = await RequestBody.ReadJson(request, options.Value.MaxRequestBodyBytes, request.HttpContext.RequestAborted);
        if (body.TryPickT1(out var bodyError, out var json))
        {
            return bodyError;
        }

        var parsed = ItemRequests.ParseCreateItems(json);
        if (parsed.TryPickT1(out var invalid, out var items))
        {
            return Problems.Of(invalid);
        }

        var appended = await grains.GetGrain<IConversationGrain>(id).AppendItems(user.UserId(), items);
        return appended.Match<IResult>(
            stored => TypedResults.Json(WireObjects.List(stored.Select(ItemWire.InConversation).ToList(), item => item.Id, hasMore: false), WireJson.Api.ListObjectItemObject),
            error => Problems.Of(error, id));
    }

    private static async Task<IResult> Get(string id, string itemId, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (Malformed(id, itemId) is { } malformed)
        {
            return malformed;
        }

        var include = IncludeQuery.Parse(request.Query["include[]"], request.Query["include"]);
        if (include.TryPickT1(out var badInclude, out _))
        {
            return Problems.Of(badInclude);
        }

        var item = await grains.GetGrain<IConversationGrain>(id).GetItem(user.UserId(), itemId);
        return item.Match<IResult>(
            found => TypedResults.Json(ItemWire.InConversation(found), WireJson.Api.ItemObject),
            error => Problems.Of(error, id));
    }

    /// <summary>Answers with the conversation, as OpenAI does.</summary>
    private static async Task<IResult> Delete(string id, string itemId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (Malformed(id, itemId) is { } malformed)
        {
            return malformed;
        }

        var deleted = await grains.GetGrain<IConversationGrain>(id).DeleteItem(user.UserId(), itemId);
        return deleted.Match<IResult>(
            conversation => TypedResults.Json(WireObjects.Conversation(conversation), WireJson.Api.ConversationObject),
            error => Problems.Of(error, id));
    }

    private static ErrorResult? Malformed(string id, string itemId) =>
        !Ids.IsWellFormed(id, Ids.ConversationPrefix) ? Problems.Of(ApiErrors.MalformedId("conversation_id", id))
        : !Ids.IsWellFormed(itemId) ? Problems.Of(ApiErrors.MalformedId("item_id", itemId))
        : null;
}
