using System.Data.Common;
using Conversations.Core.Users;

namespace Conversations.Store.Rows;

/// <summary>A row of <c>api_keys</c>, read the same way by both stores.</summary>
internal static class ApiKeyRow
{
    /// <summary>The columns both stores select and insert, in the order <see cref="Read"/> expects.</summary>
    public const string Columns = "id, user_id, prefix, hash, created_at_ticks, revoked_at_ticks";

    public static ApiKey Read(DbDataReader reader) => new(
        Id: reader.GetString(0),
        UserId: reader.GetString(1),
        Prefix: reader.GetString(2),
        Hash: reader.GetString(3),
        CreatedAt: StoredValues.FromTicks(reader.GetInt64(4)),
        RevokedAt: reader.GetNullableInt64(5) is { } revoked ? StoredValues.FromTicks(revoked) : null);
}
