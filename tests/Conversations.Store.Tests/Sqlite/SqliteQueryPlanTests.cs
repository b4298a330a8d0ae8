using Conversations.Core.Requests;
using Conversations.Store.Sqlite;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Sqlite;

/// <summary>
/// The statements on hot paths (a turn append, loading, the owner list, key lookup, usage) find their
/// rows through an index and never scan a table or sort, so their cost does not grow with the number
/// of conversations or the length of a history. Checked against SQLite's own query plans. (Plain
/// inserts and upserts have no plan to check; their uniqueness checks are index lookups by nature.)
/// </summary>
public sealed class SqliteQueryPlanTests(SqliteBackend backend) : StoreBehaviour(backend), IClassFixture<SqliteBackend>
{
    public static TheoryData<string> IndexedStatements => [.. Statements.Keys];

    private static readonly Dictionary<string, string> Statements = new()
    {
        ["append: add the turn to the conversation's counters"] = SqliteConversationStore.AddTurnToCounters,
        ["load: the conversation"] = SqliteConversationStore.SelectConversation,
        ["load: its messages in order"] = SqliteConversationStore.SelectItems,
        ["load: its turn keys"] = SqliteConversationStore.SelectTurnKeys,
        ["update settings"] = SqliteConversationStore.UpdateSettings,
        ["delete"] = SqliteConversationStore.DeleteConversation,
        ["list newest first"] = SqliteConversationStore.ListStatement(SortOrder.Descending, hasAfter: false),
        ["list newest first, after"] = SqliteConversationStore.ListStatement(SortOrder.Descending, hasAfter: true),
        ["list oldest first"] = SqliteConversationStore.ListStatement(SortOrder.Ascending, hasAfter: false),
        ["list oldest first, after"] = SqliteConversationStore.ListStatement(SortOrder.Ascending, hasAfter: true),
        ["key by hash"] = SqliteUserStore.SelectKeyByHash,
        ["key by id"] = SqliteUserStore.SelectKey,
        ["revoke key"] = SqliteUserStore.RevokeKey,
        ["user by id"] = SqliteUserStore.SelectUser,
        ["service value"] = SqliteUserStore.SelectServiceValue,
        ["usage of a day"] = SqliteUsageStore.SelectDay,
        ["usage total of a user"] = SqliteUsageStore.SelectTotal,
        ["stored answer by user and key"] = SqliteIdempotencyStore.SelectRecord,
        ["purge: expired stored answers"] = SqliteIdempotencyStore.DeleteExpiredRecords,
        ["purge: day-old turn keys"] = SqliteIdempotencyStore.DeleteOldTurnKeys,
        ["append items: the conversation is there"] = SqliteConversationStore.ConversationExists,
        ["delete an item"] = SqliteConversationStore.DeleteItem,
        ["response by id"] = SqliteResponseStore.SelectResponse,
        ["delete a response"] = SqliteResponseStore.DeleteResponse,
        ["purge: expired responses"] = SqliteResponseStore.DeleteExpiredResponses,
    };

    [Theory]
    [MemberData(nameof(IndexedStatements))]
    public async Task The_statement_uses_an_index_and_neither_scans_nor_sorts(string statement)
    {
        var plan = await ExplainAsync(Statements[statement]);

        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN ", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.StartsWith("SEARCH ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chain_of_responses_is_followed_back_one_index_lookup_per_response()
    {
        var plan = await ExplainAsync(SqliteResponseStore.SelectChain);

        // The response asked for, and each one it continues, are found by id; only the chain's own rows
        // (as many as the chain is long) are scanned and put in order, never the table.
        Assert.Contains(plan, step => step.StartsWith("SEARCH responses USING ", StringComparison.Ordinal) && step.Contains("(id=?)", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.StartsWith("SEARCH r USING ", StringComparison.Ordinal) && step.Contains("(id=?)", StringComparison.Ordinal));
        Assert.All(plan.Where(step => step.StartsWith("SCAN ", StringComparison.Ordinal)), step => Assert.Equal("SCAN chain", step));
    }

    [Fact]
    public async Task A_full_scan_is_recognised_as_one()
    {
        // Guards the check above: a query with no usable index must show up as a scan.
        var plan = await ExplainAsync("SELECT id FROM conversations WHERE instructions = $x");

        Assert.Contains(plan, step => step.StartsWith("SCAN ", StringComparison.Ordinal));
    }

    private async Task<List<string>> ExplainAsync(string sql)
    {
        await using var connection = SqliteBackend.OpenDirect(Location);
        await using var explain = connection.CreateCommand();
        // Unbound parameters are fine for planning: the plan depends on the statement's shape.
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var steps = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            steps.Add(reader.GetString(3));
        }

        return steps;
    }
}
