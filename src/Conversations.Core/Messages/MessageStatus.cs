namespace Conversations.Core.Messages;

/// <summary>
/// <see cref="Incomplete"/> marks an assistant reply that was cut short (client gone, upstream failure
/// mid-stream, shutdown): what arrived is kept rather than thrown away.
/// </summary>
[GenerateSerializer]
public enum MessageStatus
{
    Completed,
    Incomplete,
}
