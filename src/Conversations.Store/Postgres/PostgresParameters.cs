using Npgsql;
using NpgsqlTypes;

namespace Conversations.Store.Postgres;

/// <summary>Positional parameters with explicit types, so a null still tells the server its type.</summary>
internal static class PostgresParameters
{
    public static NpgsqlParameter Text(string value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value };

    public static NpgsqlParameter NullableText(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Jsonb(string json) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json };

    public static NpgsqlParameter Bigint(long value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = value };

    public static NpgsqlParameter Bigint(long? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Integer(int value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = value };

    public static NpgsqlParameter Integer(int? value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Double(double? value) => new() { NpgsqlDbType = NpgsqlDbType.Double, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Bytea(byte[] value) => new() { NpgsqlDbType = NpgsqlDbType.Bytea, Value = value };

    public static NpgsqlParameter Date(DateOnly value) => new() { NpgsqlDbType = NpgsqlDbType.Date, Value = value };
}
