using System.Text.Json.Serialization;

namespace Conversations.Core.Wire;

/// <summary>
/// A compaction (<c>type: "compaction"</c>). OpenAI's carries an encrypted blob in <c>encrypted_content</c>;
/// ours carries the summary as readable text in the same field, so that SDKs read it and send it back as input
/// unchanged.
/// </summary>
/// <param name="CreatedAt">This service's addition in conversation item lists; left out elsewhere.</param>
public sealed record CompactionItemObject(
    string Id,
    string EncryptedContent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CreatedAt = null) : ItemObject(Id);
