using System.Data.Common;
using Conversations.Core.Messages;

namespace Conversations.Store.Rows;

/// <summary>A row of <c>messages</c>, read the same way by both stores.</summary>
internal static class MessageRow
{
    /// <summary>The columns both stores select, in the order <see cref="Read"/> expects.</summary>
    public const string Columns =
        "seq, id, role, content, status, created_at_ticks, prompt_tokens, completion_tokens, model, finish_reason, completion_id";

    public static Message Read(DbDataReader reader) => new(
        Id: reader.GetString(1),
        Sequence: reader.GetInt64(0),
        Role: StoredValues.ParseRole(reader.GetString(2)),
        Content: reader.GetString(3),
        Status: StoredValues.ParseStatus(reader.GetString(4)),
        CreatedAt: StoredValues.FromTicks(reader.GetInt64(5)),
        Usage: new TokenUsage(reader.GetInt64(6), reader.GetInt64(7)),
        Model: reader.GetString(8),
        FinishReason: reader.GetString(9),
        CompletionId: reader.GetString(10));
}
