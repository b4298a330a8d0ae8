namespace Conversations.Core.Exports;

/// <summary>What a conversation is exported as: a readable transcript, or its objects as the API writes them.</summary>
public enum ExportFormat
{
    Markdown,
    Json,
}
