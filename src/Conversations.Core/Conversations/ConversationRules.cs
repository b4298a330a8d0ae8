using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Requests;

namespace Conversations.Core.Conversations;

/// <summary>How a conversation comes to be and changes. Ids and time are handed in.</summary>
public static class ConversationRules
{
    /// <summary>
    /// A new conversation from a validated create request: the request's settings over
    /// <paramref name="defaults"/>, its seed items numbered from 1 with the ids given.
    /// </summary>
    public static (Conversation Conversation, ImmutableArray<Item> Items) Open(
        string id,
        string ownerId,
        DateTimeOffset now,
        CreateConversation request,
        ConversationSettings defaults,
        IReadOnlyList<string> itemIds)
    {
        if (itemIds.Count != request.Items.Length)
        {
            throw new ArgumentException($"Need one id per seed item: {request.Items.Length} items, {itemIds.Count} ids.", nameof(itemIds));
        }

        var conversation = new Conversation(id, ownerId, now, request.Metadata, Apply(defaults, request.Settings), ConversationUsage.None);
        return (conversation, ItemIds.Place(request.Items, [.. itemIds], 1, now));
    }

    public static Conversation Update(Conversation conversation, UpdateConversation request) =>
        conversation with
        {
            Metadata = request.Metadata.ApplyTo(conversation.Metadata),
            Settings = Apply(conversation.Settings, request.Settings),
        };

    public static ConversationSettings Apply(ConversationSettings settings, SettingsPatch patch) =>
        new(
            patch.Model.ApplyTo(settings.Model),
            patch.Instructions.ApplyTo(settings.Instructions),
            patch.Temperature.ApplyTo(settings.Temperature),
            patch.TopP.ApplyTo(settings.TopP),
            patch.MaxTokens.ApplyTo(settings.MaxTokens))
        {
            Truncation = patch.Truncation.ApplyTo(settings.Truncation),
        };

    /// <summary>The model a turn uses: the turn's own choice, else the conversation's.</summary>
    public static string ModelFor(ConversationSettings settings, TurnOverrides overrides) =>
        overrides.Model ?? settings.Model;
}
