using System.Security.Claims;
using Conversations.Abstractions.Grains;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Documentation;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Http;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Core.Wire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// A conversation's items, one by one: <c>POST /v1/conversations/{id}/items</c> adds items without calling
/// the model; <c>GET</c> and <c>DELETE /v1/conversations/{id}/items/{item_id}</c> read and delete one.
/// </summary>
public static class ConversationItemEndpoints
{
    /// <param name="conversation">The group of routes under one conversation's id (checked there).</param>
    public static RouteGroupBuilder MapConversationItems(this RouteGroupBuilder conversation)
    {
        conversation.MapPost("/items", Append)
            .WithName("CreateConversationItems")
            .WithSummary("Add items to a conversation without calling the model")
            .AcceptsJson<AppendItemsBody>()
            .ProducesErrors(409, 413);
        var item = conversation.MapGroup("/items/{itemId}")
            .RequireWellFormedId("itemId", "", "item_id");
        item.MapGet("", Get)
            .WithName("GetConversationItem")
            .WithSummary("Get one item of a conversation");
        item.MapDelete("", Delete)
            .WithName("DeleteConversationItem")
            .WithSummary("Delete one item of a conversation; answers with the conversation")
            .ProducesErrors(409);
        return conversation;
    }

    private static async Task<Results<Ok<ListObject<ItemObject>>, ErrorResult>> Append(string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<ApiHostOptions> options)
    {
        if (ItemQuery.BadInclude(request) is { } badInclude)
        {
            return badInclude;
        }

        var read = await RequestBody.Read(request, options.Value.MaxRequestBodyBytes, ItemRequests.ParseCreateItems);
        if (read.TryPickT1(out var refused, out var items))
        {
            return refused;
        }

        var appended = await grains.GetGrain<IConversationGrain>(id).AppendItems(user.UserId(), items);
        return appended.Match<Results<Ok<ListObject<ItemObject>>, ErrorResult>>(
            stored => TypedResults.Ok(WireObjects.List(stored.Select(ItemWire.InConversation).ToList(), item => item.Id, hasMore: false)),
            error => Problems.Of(error, id));
    }

    private static async Task<Results<Ok<ItemObject>, ErrorResult>> Get(string id, string itemId, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (ItemQuery.BadInclude(request) is { } badInclude)
        {
            return badInclude;
        }

        var item = await grains.GetGrain<IConversationGrain>(id).GetItem(user.UserId(), itemId);
        return item.Match<Results<Ok<ItemObject>, ErrorResult>>(
            found => TypedResults.Ok(ItemWire.InConversation(found)),
            error => Problems.Of(error, id));
    }

    /// <summary>Answers with the conversation, as OpenAI does.</summary>
    private static async Task<Results<Ok<ConversationObject>, ErrorResult>> Delete(string id, string itemId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var deleted = await grains.GetGrain<IConversationGrain>(id).DeleteItem(user.UserId(), itemId);
        return deleted.Match<Results<Ok<ConversationObject>, ErrorResult>>(
            conversation => TypedResults.Ok(WireObjects.Conversation(conversation)),
            error => Problems.Of(error, id));
    }
}
