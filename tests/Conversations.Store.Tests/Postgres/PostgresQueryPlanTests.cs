using System.Text.RegularExpressions;
using Conversations.Core.Requests;
using Conversations.Store.Postgres;
using Conversations.Store.Tests.Harness;
using Npgsql;
using NpgsqlTypes;

namespace Conversations.Store.Tests.Postgres;

/// <summary>
/// The statements on hot paths find their rows through an index and never scan a table or sort.
/// Test tables are tiny, where the planner rightly prefers a sequential scan, so sequential scans and
/// sorts are priced out for the session: a plan that still has one has no index to use instead.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class PostgresQueryPlanTests(PostgresBackend backend) : StoreBehaviour(backend)
{
    public static TheoryData<string> IndexedStatements => [.. Statements.Keys];

    private static readonly Dictionary<string, (string Sql, object[] Arguments)> Statements = new()
    {
        ["append: add the turn to the conversation's counters"] = (PostgresConversationStore.AddTurnToCounters, ["conv_1", 1L, 2L]),
        ["load: the conversation"] = (PostgresConversationStore.SelectConversation, ["conv_1"]),
        ["load: its messages in order"] = (PostgresConversationStore.SelectItems, ["conv_1"]),
        ["load: its turn keys"] = (PostgresConversationStore.SelectTurnKeys, ["conv_1"]),
        ["update settings"] = (PostgresConversationStore.UpdateSettings, ["conv_1", new Jsonb("{}"), "m", "", 0.5, 0.5, 10, "auto"]),
        ["delete"] = (PostgresConversationStore.DeleteConversation, ["conv_1"]),
        ["list newest first"] = (PostgresConversationStore.ListStatement(SortOrder.Descending, hasAfter: false), ["owner", 21L]),
        ["list newest first, after"] = (PostgresConversationStore.ListStatement(SortOrder.Descending, hasAfter: true), ["owner", 21L, "conv_1"]),
        ["list oldest first"] = (PostgresConversationStore.ListStatement(SortOrder.Ascending, hasAfter: false), ["owner", 21L]),
        ["list oldest first, after"] = (PostgresConversationStore.ListStatement(SortOrder.Ascending, hasAfter: true), ["owner", 21L, "conv_1"]),
        ["key by hash"] = (PostgresUserStore.SelectKeyByHash, ["abc"]),
        ["key by id"] = (PostgresUserStore.SelectKey, ["key_1"]),
        ["revoke key"] = (PostgresUserStore.RevokeKey, ["key_1", 5L]),
        ["user by id"] = (PostgresUserStore.SelectUser, ["user_1"]),
        ["service value"] = (PostgresUserStore.SelectServiceValue, ["name"]),
        ["usage of a day"] = (PostgresUsageStore.SelectDay, ["user_1", new DateOnly(2025, 3, 4)]),
        ["usage total of a user"] = (PostgresUsageStore.SelectTotal, ["user_1"]),
        ["stored answer by user and key"] = (PostgresIdempotencyStore.SelectRecord, ["user_1", "key_1", 5L]),
        ["purge: expired stored answers"] = (PostgresIdempotencyStore.DeleteExpiredRecords, [5L]),
        ["purge: day-old turn keys"] = (PostgresIdempotencyStore.DeleteOldTurnKeys, [5L]),
        ["append items: lock the conversation"] = (PostgresConversationStore.LockConversation, ["conv_1"]),
        ["delete an item"] = (PostgresConversationStore.DeleteItem, ["conv_1", "msg_1"]),
        ["response by id"] = (PostgresResponseStore.SelectResponse, ["resp_1", 5L]),
        ["delete a response"] = (PostgresResponseStore.DeleteResponse, ["resp_1"]),
        ["purge: expired responses"] = (PostgresResponseStore.DeleteExpiredResponses, [5L]),
    };

    [Theory]
    [MemberData(nameof(IndexedStatements))]
    public async Task The_statement_uses_an_index_and_neither_scans_nor_sorts(string statement)
    {
        var (sql, arguments) = Statements[statement];

        var plan = await ExplainAsync(sql, arguments);

        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.DoesNotMatch(SortNode(), plan);
        Assert.Contains("Index", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_of_responses_is_followed_back_one_index_lookup_per_response()
    {
        var plan = await ExplainAsync(PostgresResponseStore.SelectChain, ["resp_1", 5L, 100]);

        // The response asked for, and each one it continues, are found by id: two index lookups, one in the
        // chain's start and one in its recursive step. Only the chain's own rows are put in order.
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.Equal(2, IndexLookupOfResponses().Matches(plan).Count);
        Assert.All(SortKeys().Matches(plan), key => Assert.Equal("chain.depth DESC", key.Groups[1].Value.Trim()));
    }

    [Fact]
    public async Task A_full_scan_is_recognised_as_one()
    {
        // Guards the check above: a query with no usable index still shows its sequential scan.
        var plan = await ExplainAsync("SELECT id FROM conversations WHERE instructions = $1 ORDER BY model", ["x"]);

        Assert.Contains("Seq Scan", plan, StringComparison.Ordinal);
        Assert.Matches(SortNode(), plan);
    }

    private async Task<string> ExplainAsync(string sql, object[] arguments)
    {
        await using var connection = new NpgsqlConnection(Location);
        await connection.OpenAsync();
        await using (var settings = new NpgsqlCommand("SET enable_seqscan = off; SET enable_sort = off", connection))
        {
            await settings.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + sql, connection);
        foreach (var argument in arguments)
        {
            explain.Parameters.Add(argument is Jsonb json
                ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json.Text }
                : new NpgsqlParameter { Value = argument });
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"(^|->\s+)(Incremental )?Sort\b", RegexOptions.Multiline)]
    private static partial Regex SortNode();

    [GeneratedRegex(@"Index (Only )?Scan using responses_pkey on responses\b")]
    private static partial Regex IndexLookupOfResponses();

    [GeneratedRegex(@"Sort Key: (.*)$", RegexOptions.Multiline)]
    private static partial Regex SortKeys();

    private sealed record Jsonb(string Text);
}
