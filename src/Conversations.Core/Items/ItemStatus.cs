namespace Conversations.Core.Items;

/// <summary>
/// <see cref="Incomplete"/> marks output that was cut short (client gone, upstream failure mid-stream,
/// shutdown, token limit): what arrived is kept rather than thrown away. <see cref="InProgress"/> is only
/// ever seen while a response is being streamed.
/// </summary>
[GenerateSerializer]
public enum ItemStatus
{
    Completed,
    Incomplete,
    InProgress,
}
