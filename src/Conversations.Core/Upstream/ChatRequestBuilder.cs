using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Messages;
using Conversations.Core.Requests;

namespace Conversations.Core.Upstream;

/// <summary>Turns a conversation and its next user message into the request sent upstream.</summary>
public static class ChatRequestBuilder
{
    /// <summary>
    /// The conversation's instructions (when there are any) lead as a system message, then the history in
    /// order, then the new user message. A reply that was cut short goes in as far as the user saw it; one
    /// cut before any text arrived is left out, since the user saw nothing. Per-turn overrides win.
    /// </summary>
    public static UpstreamChatRequest Build(
        ConversationSettings settings,
        IReadOnlyList<Message> history,
        string userContent,
        TurnOverrides overrides,
        bool stream)
    {
        var messages = ImmutableArray.CreateBuilder<UpstreamMessage>(history.Count + 2);
        if (settings.Instructions.Length > 0)
        {
            messages.Add(new UpstreamMessage(UpstreamRoles.System, settings.Instructions));
        }

        foreach (var message in history)
        {
            if (message.Role == MessageRole.Assistant && message.Status == MessageStatus.Incomplete && message.Content.Length == 0)
            {
                continue;
            }

            messages.Add(new UpstreamMessage(UpstreamRoles.WireName(message.Role), message.Content));
        }

        messages.Add(new UpstreamMessage(UpstreamRoles.User, userContent));

        return new UpstreamChatRequest(
            Model: string.IsNullOrEmpty(overrides.Model) ? settings.Model : overrides.Model,
            Messages: messages.DrainToImmutable(),
            Temperature: overrides.Temperature ?? settings.Temperature,
            TopP: overrides.TopP ?? settings.TopP,
            MaxTokens: overrides.MaxTokens ?? settings.MaxTokens,
            Stream: stream);
    }
}
