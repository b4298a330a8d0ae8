using System.Data.Common;
using Conversations.Abstractions.Storage;

namespace Conversations.Store.Rows;

/// <summary>A row of <c>idempotency_records</c>, read the same way by both stores.</summary>
internal static class IdempotencyRecordRow
{
    /// <summary>
    /// The columns both stores select, in the order <see cref="Read"/> expects. The user and key are
    /// what the row was looked up by, so they are not selected again.
    /// </summary>
    public const string Columns = "request_hash, status, content_type, headers, body, created_at_ticks, expires_at_ticks";

    public static IdempotencyRecord Read(DbDataReader reader, string userId, string key) => new(
        UserId: userId,
        Key: key,
        RequestHash: reader.GetString(0),
        Response: new StoredResponse(
            Status: reader.GetInt32(1),
            ContentType: reader.GetString(2),
            Headers: StoredValues.ParseStringMap(reader.GetString(3), "response headers"),
            Body: reader.GetFieldValue<byte[]>(4)),
        CreatedAt: StoredValues.FromTicks(reader.GetInt64(5)),
        ExpiresAt: StoredValues.FromTicks(reader.GetInt64(6)));
}
