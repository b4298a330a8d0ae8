using System.Buffers;
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
            if (IsSent(message))
            {
                messages.Add(ForUpstream(message));
            }
        }

        messages.Add(new UpstreamMessage(UpstreamRoles.User, userContent));
        return Request(settings, messages.DrainToImmutable(), overrides, stream);
    }

    /// <summary>
    /// The same request as <see cref="Build(ConversationSettings, IReadOnlyList{Message}, string, TurnOverrides, bool)"/>,
    /// from a history already in upstream form: its messages are taken as they are and its JSON is
    /// reused, so the cost does not grow with the history.
    /// </summary>
    public static UpstreamChatRequest Build(
        ConversationSettings settings,
        UpstreamHistory history,
        string userContent,
        TurnOverrides overrides,
        bool stream)
    {
        var hasInstructions = settings.Instructions.Length > 0;
        var messages = ImmutableArray.CreateBuilder<UpstreamMessage>(history.Messages.Length + 2);
        var json = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(history.Json.Length + 2);
        if (hasInstructions)
        {
            var system = new UpstreamMessage(UpstreamRoles.System, settings.Instructions);
            messages.Add(system);
            json.Add(Json(system, leadingComma: false));
        }

        messages.AddRange(history.Messages);
        if (history.Messages.Length > 0)
        {
            if (hasInstructions)
            {
                json.Add(Comma);
            }

            json.AddRange(history.Json);
        }

        var user = new UpstreamMessage(UpstreamRoles.User, userContent);
        messages.Add(user);
        json.Add(Json(user, leadingComma: messages.Count > 1));
        return Request(settings, messages.DrainToImmutable(), overrides, stream) with
        {
            MessagesJson = new PreparedMessages(json.DrainToImmutable()),
        };
    }

    /// <summary>Whether a stored message goes upstream: all do but a reply cut short before any text arrived.</summary>
    public static bool IsSent(Message message) =>
        !(message.Role == MessageRole.Assistant && message.Status == MessageStatus.Incomplete && message.Content.Length == 0);

    public static UpstreamMessage ForUpstream(Message message) => new(UpstreamRoles.WireName(message.Role), message.Content);

    /// <summary>One message's JSON as it appears in <c>messages</c>, after a comma when it follows another.</summary>
    public static byte[] Json(UpstreamMessage message, bool leadingComma)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Content.Length + 32);
        if (leadingComma)
        {
            buffer.Write(","u8);
        }

        UpstreamRequestJson.WriteMessage(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    private static readonly ReadOnlyMemory<byte> Comma = ","u8.ToArray();

    private static UpstreamChatRequest Request(ConversationSettings settings, ImmutableArray<UpstreamMessage> messages, TurnOverrides overrides, bool stream) =>
        new(
            Model: string.IsNullOrEmpty(overrides.Model) ? settings.Model : overrides.Model,
            Messages: messages,
            Temperature: overrides.Temperature ?? settings.Temperature,
            TopP: overrides.TopP ?? settings.TopP,
            MaxTokens: overrides.MaxTokens ?? settings.MaxTokens,
            Stream: stream);
}
