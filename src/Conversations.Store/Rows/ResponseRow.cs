using System.Data.Common;
using Conversations.Core.Responses;
using Conversations.Store.Documents;

namespace Conversations.Store.Rows;

/// <summary>A row of <c>responses</c>: the columns that find a response, and its document (see <see cref="ResponseJson"/>).</summary>
internal static class ResponseRow
{
    /// <summary>The columns both stores insert, in this order.</summary>
    public const string InsertColumns =
        "id, owner_id, conversation_id, previous_response_id, status, created_at_ticks, expires_at_ticks, document";

    public static ResponseRecord Read(DbDataReader reader, int documentOrdinal) => ResponseJson.Read(reader.GetString(documentOrdinal));
}
