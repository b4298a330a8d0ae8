namespace Conversations.Core.Messages;

/// <summary>Who wrote a message. Tool messages are not part of a stored conversation.</summary>
[GenerateSerializer]
public enum MessageRole
{
    System,
    Developer,
    User,
    Assistant,
}
