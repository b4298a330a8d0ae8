using Npgsql;

namespace Conversations.Store.Postgres;

internal static class PostgresCommandExtensions
{
    public static NpgsqlCommand With(this NpgsqlCommand command, params NpgsqlParameter[] parameters)
    {
        command.Parameters.AddRange(parameters);
        return command;
    }

    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, params NpgsqlParameter[] parameters)
    {
        command.Parameters.AddRange(parameters);
        return command;
    }
}
