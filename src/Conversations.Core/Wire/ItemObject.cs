namespace Conversations.Core.Wire;

/// <summary>A message item (<c>type: "message"</c>). <c>created_at</c> is this service's addition.</summary>
public sealed record ItemObject(
    string Id,
    string Type,
    string Role,
    string Status,
    IReadOnlyList<ContentPart> Content,
    long CreatedAt);
