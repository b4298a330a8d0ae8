namespace Conversations.Store.Postgres;

public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>).</summary>
    public string ConnectionString { get; set; } = "";
}
