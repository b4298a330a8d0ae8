using System.Data.Common;
using Conversations.Abstractions.Storage;

namespace Conversations.Store.Rows;

/// <summary>A row of <c>turn_keys</c>, read the same way by both stores.</summary>
internal static class TurnKeyRow
{
    /// <summary>The columns both stores select, in the order <see cref="Read"/> expects.</summary>
    public const string Columns = "key, request_hash, reply_message_id, created_at_ticks";

    public static StoredTurnKey Read(DbDataReader reader) => new(
        Key: reader.GetString(0),
        RequestHash: reader.GetString(1),
        ReplyMessageId: reader.GetString(2),
        CreatedAt: StoredValues.FromTicks(reader.GetInt64(3)));
}
