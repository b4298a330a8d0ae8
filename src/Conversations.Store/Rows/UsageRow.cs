using System.Data.Common;
using Conversations.Core.Messages;
using Conversations.Core.Users;

namespace Conversations.Store.Rows;

/// <summary>
/// Usage counters (requests, prompt tokens, completion tokens), read the same way by both stores
/// whether they come from one day's row of <c>usage_daily</c> or from sums over several.
/// </summary>
internal static class UsageRow
{
    /// <summary>The three counters starting at column <paramref name="first"/>.</summary>
    public static UsageTotals Read(DbDataReader reader, int first = 0) =>
        new(reader.GetInt64(first), new TokenUsage(reader.GetInt64(first + 1), reader.GetInt64(first + 2)));
}
