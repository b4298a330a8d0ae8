using System.Data.Common;
using Conversations.Core.Users;

namespace Conversations.Store.Rows;

/// <summary>A row of <c>users</c>, read the same way by both stores.</summary>
internal static class UserRow
{
    /// <summary>The columns both stores select and insert, in the order <see cref="Read"/> expects.</summary>
    public const string Columns = "id, name, requests_per_minute, tokens_per_day, concurrent_streams, created_at_ticks";

    public static User Read(DbDataReader reader) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        Limits: new UserLimits(reader.GetNullableInt32(2), reader.GetNullableInt64(3), reader.GetNullableInt32(4)),
        CreatedAt: StoredValues.FromTicks(reader.GetInt64(5)));
}
