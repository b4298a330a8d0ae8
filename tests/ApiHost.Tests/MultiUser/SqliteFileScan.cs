using Microsoft.Data.Sqlite;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>Reads a SQLite database file the way an attacker with a copy of it would: every value of every table.</summary>
public static class SqliteFileScan
{
    /// <summary>Every non-null value of every table, as text (blobs decoded as UTF-8), with where it was found.</summary>
    public static List<(string Table, string Column, string Value)> AllValues(string databasePath)
    {
        var found = new List<(string, string, string)>();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        foreach (var table in Tables(connection))
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"")}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        continue;
                    }

                    var value = reader.GetValue(i) switch
                    {
                        byte[] blob => System.Text.Encoding.UTF8.GetString(blob),
                        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    };
                    found.Add((table, reader.GetName(i), value));
                }
            }
        }

        return found;
    }

    /// <summary>The values of one column of one table.</summary>
    public static List<string> Column(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var select = connection.CreateCommand();
        select.CommandText = sql;
        using var reader = select.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static List<string> Tables(SqliteConnection connection)
    {
        using var list = connection.CreateCommand();
        list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        using var reader = list.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
