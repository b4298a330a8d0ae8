using System.Security.Claims;
using Conversations.Abstractions.Grains;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Documentation;
using Conversations.ApiHost.Errors;
using Conversations.Core.Errors;
using Conversations.Core.Exports;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Core.Wire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using OneOf;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// <c>GET /v1/conversations/{id}/export?format=markdown|json</c>: the whole conversation as a file to download,
/// a Markdown transcript or the conversation and its items as JSON.
/// </summary>
public static class ConversationExportEndpoint
{
    /// <param name="conversation">The group of routes under one conversation's id (checked there).</param>
    public static RouteGroupBuilder MapConversationExport(this RouteGroupBuilder conversation)
    {
        conversation.MapGet("/export", Export)
            .WithName("ExportConversation")
            .WithSummary("Export a conversation and all its items as a Markdown transcript or JSON")
            .WithDescription("format=json (the default) answers the conversation and its items, oldest first; format=markdown a readable transcript. Both come as an attachment to save.")
            .ProducesText("text/markdown", "With format=markdown, the transcript");
        return conversation;
    }

    private static async Task<Results<Ok<ConversationExportObject>, FileContentHttpResult, ErrorResult>> Export(
        string id, string? format, HttpResponse response, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (ExportRequests.ParseFormat(format).TryPickT1(out var invalid, out var chosen))
        {
            return Problems.Of(invalid);
        }

        var grain = grains.GetGrain<IConversationGrain>(id);
        var found = await grain.Get(user.UserId());
        if (found.TryPickT1(out var missing, out var conversation))
        {
            return Problems.Of(missing, id);
        }

        var read = await AllItems(grain, user.UserId());
        if (read.TryPickT1(out var gone, out var items))
        {
            return Problems.Of(gone, id);
        }

        var fileName = ConversationExport.FileName(conversation, chosen);
        if (chosen == ExportFormat.Markdown)
        {
            return TypedResults.File(
                System.Text.Encoding.UTF8.GetBytes(ConversationExport.Markdown(conversation, items)),
                ConversationExport.ContentType(chosen),
                fileName);
        }

        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        return TypedResults.Ok(new ConversationExportObject(
            "conversation.export", WireObjects.Conversation(conversation), items.Select(ItemWire.InConversation).ToList()));
    }

    /// <summary>Every item, oldest first, a page of the most the grain lists at a time.</summary>
    private static async Task<OneOf<IReadOnlyList<Item>, ConversationError>> AllItems(IConversationGrain grain, string userId)
    {
        var items = new List<Item>();
        var after = "";
        while (true)
        {
            var page = await grain.ListItems(userId, new PageQuery(RequestLimits.MaxPageSize, SortOrder.Ascending, after));
            if (page.TryPickT1(out var error, out var found))
            {
                return error;
            }

            items.AddRange(found.Items);
            if (!found.HasMore || found.Items.IsEmpty)
            {
                return items;
            }

            after = found.Items[^1].Id;
        }
    }
}
