using System.Collections.Immutable;
using System.Globalization;
using Conversations.Abstractions.Storage;
using Conversations.Core.Messages;
using Conversations.Core.Users;
using Conversations.Store.Rows;

namespace Conversations.Store.Sqlite;

public sealed class SqliteUsageStore(SqliteDatabase database) : IUsageStore
{
    // An increment, not a read-modify-write: concurrent adders each add their own share.
    internal const string AddToDayStatement = """
        INSERT INTO usage_daily (user_id, day, requests, prompt_tokens, completion_tokens)
        VALUES ($user_id, $day, $requests, $prompt_tokens, $completion_tokens)
        ON CONFLICT (user_id, day) DO UPDATE SET
            requests = usage_daily.requests + excluded.requests,
            prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens,
            completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens
        """;

    internal const string SelectDay =
        "SELECT requests, prompt_tokens, completion_tokens FROM usage_daily WHERE user_id = $user_id AND day = $day";

    internal const string SelectTotal = """
        SELECT coalesce(sum(requests), 0), coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0)
        FROM usage_daily WHERE user_id = $user_id
        """;

    internal const string SelectAllTotals = """
        SELECT user_id, sum(requests), sum(prompt_tokens), sum(completion_tokens)
        FROM usage_daily GROUP BY user_id
        """;

    public async Task AddAsync(string userId, DateOnly day, UsageTotals usage, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(session =>
        {
            AddToDay(session, userId, day, usage.Requests, usage.Tokens);
            return 0;
        }, cancellationToken).ConfigureAwait(false);

    public async Task<UsageTotals> GetDayAsync(string userId, DateOnly day, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            using var reader = session.Statement(SelectDay).With("$user_id", userId).With("$day", DayText(day)).ExecuteReader();
            return reader.Read() ? UsageRow.Read(reader) : UsageTotals.None;
        }, cancellationToken).ConfigureAwait(false);

    public async Task<UsageTotals> GetTotalAsync(string userId, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            using var reader = session.Statement(SelectTotal).With("$user_id", userId).ExecuteReader();
            reader.Read();
            return UsageRow.Read(reader);
        }, cancellationToken).ConfigureAwait(false);

    public async Task<ImmutableDictionary<string, UsageTotals>> GetAllTotalsAsync(CancellationToken cancellationToken = default) =>
        await database.ReadAsync(session =>
        {
            var totals = ImmutableDictionary.CreateBuilder<string, UsageTotals>(StringComparer.Ordinal);
            using var reader = session.Statement(SelectAllTotals).ExecuteReader();
            while (reader.Read())
            {
                totals.Add(reader.GetString(0), UsageRow.Read(reader, first: 1));
            }

            return totals.ToImmutable();
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Adds to a user's day inside the caller's write transaction (a turn append shares it).</summary>
    internal static void AddToDay(SqliteSession session, string userId, DateOnly day, long requests, TokenUsage tokens) =>
        session.Statement(AddToDayStatement)
            .With("$user_id", userId)
            .With("$day", DayText(day))
            .With("$requests", requests)
            .With("$prompt_tokens", tokens.PromptTokens)
            .With("$completion_tokens", tokens.CompletionTokens)
            .ExecuteNonQuery();

    internal static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
