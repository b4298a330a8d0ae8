using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conversations.ApiHost.Health;

/// <summary>
/// The embedded default's store: the SQLite file can be opened and its schema read. Opened read-only, so a
/// missing file is reported, not created empty.
/// </summary>
public sealed class SqliteHealthCheck(string path) : IHealthCheck
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadOnly,
    }.ConnectionString;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SqliteException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The SQLite store cannot be read.");
        }
    }
}
