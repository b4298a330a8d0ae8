using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;

namespace Conversations.Grains.Tests.Harness;

/// <summary>
/// A chat turn's items read the way a chat client sees them: a message's role and text, and the reply's
/// usage, model and finish reason. The tests of chat turns assert on these.
/// </summary>
internal static class ChatViews
{
    extension(Item item)
    {
        public MessageRole Role => ((MessageItem)item).Role;

        public string Content => ((MessageItem)item).Text;

        public TokenUsage Usage => item.Reply?.Usage ?? TokenUsage.Zero;

        public string Model => item.Reply?.Model ?? "";

        public string FinishReason => item.Reply?.FinishReason ?? "";

        public string CompletionId => item.Reply?.CompletionId ?? "";
    }

    extension(ResponseRecord response)
    {
        /// <summary>A chat turn's one input: the user's message.</summary>
        public Item UserMessage => response.Input[0];

        /// <summary>A chat turn's reply: its last output item.</summary>
        public Item Reply => response.Output[^1];
    }

    extension(TurnEvent.Completed completed)
    {
        public Item Reply => completed.Response.Output[^1];
    }
}
