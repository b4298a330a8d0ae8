using System.Data.Common;
using Conversations.Core.Conversations;
using Conversations.Core.Messages;

namespace Conversations.Store.Rows;

/// <summary>A row of <c>conversations</c>, read the same way by both stores.</summary>
internal static class ConversationRow
{
    /// <summary>The columns both stores select and insert, in the order <see cref="Read"/> expects.</summary>
    public const string Columns =
        "id, owner_id, created_at_ticks, metadata, model, instructions, temperature, top_p, max_tokens, requests, prompt_tokens, completion_tokens, truncation";

    public static Conversation Read(DbDataReader reader) => new(
        Id: reader.GetString(0),
        OwnerId: reader.GetString(1),
        CreatedAt: StoredValues.FromTicks(reader.GetInt64(2)),
        Metadata: StoredValues.ParseMetadata(reader.GetString(3)),
        Settings: new ConversationSettings(
            Model: reader.GetString(4),
            Instructions: reader.GetString(5),
            Temperature: reader.GetNullableDouble(6),
            TopP: reader.GetNullableDouble(7),
            MaxTokens: reader.GetNullableInt32(8)) { Truncation = StoredValues.ParseTruncation(reader.GetString(12)) },
        Usage: new ConversationUsage(reader.GetInt64(9), new TokenUsage(reader.GetInt64(10), reader.GetInt64(11))));
}
