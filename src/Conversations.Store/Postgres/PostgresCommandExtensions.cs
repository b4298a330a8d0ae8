using Npgsql;

namespace Conversations.Store.Postgres;

internal static class PostgresCommandExtensions
{
    public static double? GetNullableDouble(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public static int? GetNullableInt32(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static long? GetNullableInt64(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

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
