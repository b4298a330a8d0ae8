using System.Data.Common;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Store.Documents;

namespace Conversations.Store.Rows;

/// <summary>
/// A row of <c>messages</c> (a conversation's item of any kind), read and written the same way by both
/// stores. A message of plain text lives in the plain columns; anything else keeps its parts or fields as
/// JSON in <c>data</c> (see <see cref="ItemJson.RowData"/>). The reply columns are filled on the item
/// that ends a turn; rows written before items had kinds read as messages of plain text.
/// </summary>
internal static class ItemRow
{
    /// <summary>The columns both stores select, in the order <see cref="Read"/> expects; the last says whether the row was deleted.</summary>
    public const string Columns =
        "seq, id, type, role, content, data, status, created_at_ticks, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, model, finish_reason, completion_id, deleted";

    /// <summary>The columns both stores insert, after <c>conversation_id</c>, in the order <see cref="Values"/> gives them.</summary>
    public const string InsertColumns =
        "conversation_id, seq, id, type, role, content, data, status, created_at_ticks, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, model, finish_reason, completion_id";

    public static bool IsDeleted(DbDataReader reader) => reader.GetBoolean(15);

    public static long Sequence(DbDataReader reader) => reader.GetInt64(0);

    public static Item Read(DbDataReader reader)
    {
        var completionId = reader.GetString(14);
        var model = reader.GetString(12);
        ReplyInfo? reply = completionId.Length > 0 || model.Length > 0
            ? new ReplyInfo(
                new TokenUsage(reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11)),
                model,
                reader.GetString(13),
                completionId)
            : null;
        return ItemJson.FromRow(
            type: reader.GetString(2),
            role: reader.GetString(3),
            content: reader.GetString(4),
            data: reader.IsDBNull(5) ? null : reader.GetString(5),
            id: reader.GetString(1),
            sequence: reader.GetInt64(0),
            status: StoredValues.ParseItemStatus(reader.GetString(6)),
            createdAt: StoredValues.FromTicks(reader.GetInt64(7)),
            reply: reply);
    }

    /// <summary>The values of <see cref="InsertColumns"/> for one item, in order.</summary>
    public static object?[] Values(string conversationId, Item item)
    {
        var reply = item.Reply;
        var usage = reply?.Usage ?? TokenUsage.Zero;
        return
        [
            conversationId,
            item.Sequence,
            item.Id,
            ItemJson.TypeName(item),
            item is MessageItem message ? StoredValues.RoleName(message.Role) : "",
            item is MessageItem text ? text.Text : "",
            ItemJson.RowData(item),
            StoredValues.ItemStatusName(item.Status),
            StoredValues.ToTicks(item.CreatedAt),
            usage.PromptTokens,
            usage.CompletionTokens,
            usage.CachedTokens,
            usage.ReasoningTokens,
            reply?.Model ?? "",
            reply?.FinishReason ?? "",
            reply?.CompletionId ?? "",
        ];
    }
}
