using System.Security.Claims;
using Conversations.Abstractions.Grains;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Documentation;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Http;
using Conversations.ApiHost.Limits;
using Conversations.Core.Conversations;
using Conversations.Core.Requests;
using Conversations.Core.Wire;
using Conversations.Grains;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// The conversation routes. Each maps HTTP to one grain call and the grain's answer back to HTTP;
/// the rules live in the core and the grain, not here.
/// </summary>
/// <remarks>
/// Every route of the service follows this file's pattern, so that <c>/openapi/v1.json</c> describes it
/// completely (<c>ApiDescriptionTests</c> checks that every <c>/v1</c> route does):
/// <list type="bullet">
/// <item>One static class per resource maps a route group with <c>.WithTags</c>, the key it needs
/// (<c>.RequireAuthorization</c>) and the errors every route of the group can answer
/// (<see cref="RouteDocumentation.ProducesErrors"/>: 401 and 403 for the key, 500, and 503 when the
/// cluster is in the way). A group of routes under an id adds <see cref="WellFormedId.RequireWellFormedId"/>,
/// so handlers never check the id's format (and 400 is declared with it).</item>
/// <item>Each route adds <c>.WithName</c> (unique: it is the operation id), <c>.WithSummary</c>, its body
/// with <see cref="RouteDocumentation.AcceptsJson"/> (a documentation-only record, e.g.
/// <see cref="CreateConversationBody"/>), and its own error statuses with <c>ProducesErrors</c>.</item>
/// <item>A handler returns <c>Results&lt;Ok&lt;TWire&gt;, ErrorResult&gt;</c> (or <c>Created</c>): the success
/// body is a wire record from <c>Conversations.Core.Wire</c>, written by the framework with the wire
/// JSON (<c>ConfigureHttpJsonOptions</c> in <see cref="ApiHostApplication"/>); every failure is an
/// <see cref="ErrorResult"/>. A handler that may stream returns <c>IResult</c> and declares its 200 with
/// <c>.Produces&lt;TWire&gt;()</c> and <see cref="RouteDocumentation.ProducesEventStream"/>.</item>
/// <item>A handler is a few lines: read and parse (<see cref="RequestBody.Read"/> with a core parser),
/// call one thing, map its OneOf answer to the typed results.</item>
/// </list>
/// </remarks>
public static class ConversationEndpoints
{
    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder v1)
    {
        var conversations = v1.MapGroup("/conversations")
            .WithTags("Conversations")
            .RequireAuthorization(ApiKeyAuthentication.UserPolicy)
            .ProducesErrors(401, 403, 500, 503);
        conversations.MapPost("", Create)
            .WithName("CreateConversation")
            .WithSummary("Create a conversation")
            .AcceptsJson<CreateConversationBody>()
            .ProducesErrors(400, 409, 413);
        conversations.MapGet("", List)
            .WithName("ListConversations")
            .WithSummary("List the caller's conversations, newest first")
            .ProducesErrors(400);

        var conversation = conversations.MapGroup("/{id}")
            .RequireWellFormedId("id", Ids.ConversationPrefix, "conversation_id")
            .ProducesErrors(404);
        conversation.MapGet("", Get)
            .WithName("GetConversation")
            .WithSummary("Get a conversation");
        conversation.MapPost("", Update)
            .WithName("UpdateConversation")
            .WithSummary("Update a conversation's metadata and settings")
            .AcceptsJson<UpdateConversationBody>()
            .ProducesErrors(409, 413);
        conversation.MapDelete("", Delete)
            .WithName("DeleteConversation")
            .WithSummary("Delete a conversation and its history")
            .ProducesErrors(409);
        conversation.MapGet("/items", ListItems)
            .WithName("ListConversationItems")
            .WithSummary("List a conversation's messages as items, newest first");
        conversation.MapPost("/messages", TurnEndpoint.Send)
            .WithName("SendMessage")
            .WithSummary("Send a message and get the model's reply")
            .WithDescription("One turn: the message and the reply are stored together. With \"stream\": true the reply comes as server-sent events.")
            .WithMetadata(CallsUpstream.Instance)
            .AcceptsJson<SendMessageBody>()
            .Produces<ChatCompletionObject>()
            .ProducesEventStream<ChunkObject>("With \"stream\": true, chat.completion.chunk events, a usage chunk, then data: [DONE]")
            .ProducesErrors(409, 413, 422, 429, 502, 504);
        conversation.MapConversationItems();
        conversation.MapConversationExport();
        return v1;
    }

    private static async Task<Results<Ok<ConversationObject>, ErrorResult>> Create(
        HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<ApiHostOptions> options)
    {
        var parsed = await RequestBody.Read(request, options.Value.MaxRequestBodyBytes, ConversationRequests.ParseCreate);
        if (parsed.TryPickT1(out var invalid, out var create))
        {
            return invalid;
        }

        var id = IdGenerator.New(Ids.ConversationPrefix);
        var created = await grains.GetGrain<IConversationGrain>(id).Create(user.UserId(), create);
        return created.Match<Results<Ok<ConversationObject>, ErrorResult>>(
            // 200, not 201: the official SDKs take only 200 for success (the .NET one refuses a 201).
            conversation => TypedResults.Ok(WireObjects.Conversation(conversation)),
            error => Problems.Of(error, id));
    }

    private static async Task<Results<Ok<ListObject<ConversationObject>>, ErrorResult>> List(
        string? limit, string? order, string? after, ClaimsPrincipal user, IGrainFactory grains)
    {
        var query = ConversationRequests.ParsePage(limit, order, after, SortOrder.Descending);
        if (query.TryPickT1(out var invalid, out var page))
        {
            return Problems.Of(invalid);
        }

        var found = await grains.GetGrain<IConversationDirectoryGrain>(0).ListByOwner(user.UserId(), page);
        return TypedResults.Ok(WireObjects.List(found.Items.Select(WireObjects.Conversation).ToList(), c => c.Id, found.HasMore));
    }

    private static async Task<Results<Ok<ConversationObject>, ErrorResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var found = await grains.GetGrain<IConversationGrain>(id).Get(user.UserId());
        return found.Match<Results<Ok<ConversationObject>, ErrorResult>>(
            conversation => TypedResults.Ok(WireObjects.Conversation(conversation)),
            error => Problems.Of(error, id));
    }

    private static async Task<Results<Ok<ConversationObject>, ErrorResult>> Update(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<ApiHostOptions> options)
    {
        var parsed = await RequestBody.Read(request, options.Value.MaxRequestBodyBytes, ConversationRequests.ParseUpdate);
        if (parsed.TryPickT1(out var invalid, out var update))
        {
            return invalid;
        }

        var updated = await grains.GetGrain<IConversationGrain>(id).Update(user.UserId(), update);
        return updated.Match<Results<Ok<ConversationObject>, ErrorResult>>(
            conversation => TypedResults.Ok(WireObjects.Conversation(conversation)),
            error => Problems.Of(error, id));
    }

    private static async Task<Results<Ok<DeletedObject>, ErrorResult>> Delete(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var deleted = await grains.GetGrain<IConversationGrain>(id).Delete(user.UserId());
        return deleted.Match<Results<Ok<DeletedObject>, ErrorResult>>(
            conversation => TypedResults.Ok(WireObjects.ConversationDeleted(conversation.Id)),
            error => Problems.Of(error, id));
    }

    private static async Task<Results<Ok<ListObject<ItemObject>>, ErrorResult>> ListItems(
        string id, string? limit, string? order, string? after, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (ItemQuery.Page(limit, order, after, request).TryPickT1(out var invalid, out var page))
        {
            return invalid;
        }

        var items = await grains.GetGrain<IConversationGrain>(id).ListItems(user.UserId(), page);
        return items.Match<Results<Ok<ListObject<ItemObject>>, ErrorResult>>(
            found => TypedResults.Ok(WireObjects.List(found.Items.Select(ItemWire.InConversation).ToList(), item => item.Id, found.HasMore)),
            error => Problems.Of(error, id));
    }
}
