using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Responses;

namespace Conversations.Core.Conversations;

/// <summary>How a turn's request and its conversation's settings combine.</summary>
public static class TurnSettings
{
    /// <summary>The model a turn uses: the request's, else the conversation's.</summary>
    public static string Model(ConversationSettings conversation, TurnRequest request) =>
        string.IsNullOrEmpty(request.Model) ? conversation.Model : request.Model;

    /// <summary>
    /// The turn's settings: what the request says, and for what it leaves out (null), the conversation's
    /// instructions, temperature, top_p, output token cap and truncation. The request's instructions replace
    /// the conversation's for this turn only.
    /// </summary>
    public static ResponseSettings Merge(ConversationSettings conversation, ResponseSettings request) =>
        request with
        {
            Instructions = request.Instructions ?? (conversation.Instructions.Length == 0 ? null : conversation.Instructions),
            Temperature = request.Temperature ?? conversation.Temperature,
            TopP = request.TopP ?? conversation.TopP,
            MaxOutputTokens = request.MaxOutputTokens ?? conversation.MaxTokens,
            Truncation = request.Truncation ?? conversation.Truncation,
        };

    /// <summary>The settings of a response outside a conversation: what the request says, and <c>disabled</c> truncation unless it says otherwise.</summary>
    public static ResponseSettings Alone(ResponseSettings request) =>
        request.Truncation is null ? request with { Truncation = Truncation.Disabled } : request;

    /// <summary>A <c>/messages</c> turn: one user message, with the turn's overrides; its response is not kept.</summary>
    public static TurnRequest ForMessage(string responseId, SendMessage message) =>
        new(
            responseId,
            [new MessageItem("", 0, ItemStatus.Completed, default, null, MessageRole.User, [new ContentPart.InputText(message.Content)])],
            message.Overrides.Model,
            ResponseSettings.Default with
            {
                Temperature = message.Overrides.Temperature,
                TopP = message.Overrides.TopP,
                MaxOutputTokens = message.Overrides.MaxTokens,
            },
            Store: false,
            Background: false,
            PreviousResponseId: null);
}
