namespace Conversations.Core.Wire.Responses;

/// <summary>The answer to <c>POST /v1/responses/compact</c>: <c>{id, object: "response.compaction", output, created_at, usage}</c>.</summary>
public sealed record CompactionObject(string Id, string Object, IReadOnlyList<ItemObject> Output, long CreatedAt, ResponseUsageObject Usage);
