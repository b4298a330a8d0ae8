using System.Collections.Immutable;
using Conversations.Abstractions.Storage;
using Conversations.Core.Messages;
using Conversations.Core.Users;
using Conversations.Store.Rows;
using Npgsql;

namespace Conversations.Store.Postgres;

public sealed class PostgresUsageStore(PostgresDatabase database) : IUsageStore
{
    // An increment, not a read-modify-write: concurrent adders queue on the row and each adds its share.
    internal const string AddToDayStatement = """
        INSERT INTO usage_daily (user_id, day, requests, prompt_tokens, completion_tokens)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (user_id, day) DO UPDATE SET
            requests = usage_daily.requests + excluded.requests,
            prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens,
            completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens
        """;

    internal const string SelectDay =
        "SELECT requests, prompt_tokens, completion_tokens FROM usage_daily WHERE user_id = $1 AND day = $2";

    internal const string SelectTotal = """
        SELECT coalesce(sum(requests), 0)::bigint, coalesce(sum(prompt_tokens), 0)::bigint, coalesce(sum(completion_tokens), 0)::bigint
        FROM usage_daily WHERE user_id = $1
        """;

    internal const string SelectAllTotals = """
        SELECT user_id, sum(requests)::bigint, sum(prompt_tokens)::bigint, sum(completion_tokens)::bigint
        FROM usage_daily GROUP BY user_id
        """;

    public async Task AddAsync(string userId, DateOnly day, UsageTotals usage, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { AddToDay(userId, day, usage.Requests, usage.Tokens) } };
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<UsageTotals> GetDayAsync(string userId, DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectDay, connection).With(PostgresParameters.Text(userId), PostgresParameters.Date(day));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? UsageRow.Read(reader) : UsageTotals.None;
    }

    public async Task<UsageTotals> GetTotalAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectTotal, connection).With(PostgresParameters.Text(userId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return UsageRow.Read(reader);
    }

    public async Task<ImmutableDictionary<string, UsageTotals>> GetAllTotalsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectAllTotals, connection);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var totals = ImmutableDictionary.CreateBuilder<string, UsageTotals>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            totals.Add(reader.GetString(0), UsageRow.Read(reader, first: 1));
        }

        return totals.ToImmutable();
    }

    /// <summary>The increment of a user's day, for a batch of its own or a turn append's transaction.</summary>
    internal static NpgsqlBatchCommand AddToDay(string userId, DateOnly day, long requests, TokenUsage tokens) =>
        new NpgsqlBatchCommand(AddToDayStatement).With(
            PostgresParameters.Text(userId),
            PostgresParameters.Date(day),
            PostgresParameters.Bigint(requests),
            PostgresParameters.Bigint(tokens.PromptTokens),
            PostgresParameters.Bigint(tokens.CompletionTokens));
}
