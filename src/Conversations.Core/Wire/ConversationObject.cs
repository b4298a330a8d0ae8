namespace Conversations.Core.Wire;

/// <summary>A conversation on the wire: OpenAI's shape, plus the settings and usage this service keeps.</summary>
public sealed record ConversationObject(
    string Id,
    string Object,
    long CreatedAt,
    IReadOnlyDictionary<string, string> Metadata,
    SettingsObject Settings,
    ConversationUsageObject Usage);
