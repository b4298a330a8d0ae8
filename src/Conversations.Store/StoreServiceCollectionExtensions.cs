using Conversations.Abstractions.Storage;
using Conversations.Store.Postgres;
using Conversations.Store.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Conversations.Store;

/// <summary>
/// Registers one store (SQLite or PostgreSQL) behind <see cref="IConversationStore"/>,
/// <see cref="IUserStore"/>, <see cref="IUsageStore"/>, <see cref="IIdempotencyStore"/> and <see cref="IResponseStore"/>, as
/// singletons sharing one database, plus a
/// hosted service that migrates the schema in the host's starting phase (before any hosted service,
/// the silo included, starts). Store calls made without a host also wait for the migration.
/// </summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>The embedded store: one SQLite file at <paramref name="databasePath"/> (its directory is created).</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, string databasePath) =>
        services.AddSqliteStore(options => options.DatabasePath = databasePath);

    public static IServiceCollection AddSqliteStore(this IServiceCollection services, Action<SqliteStoreOptions> configure)
    {
        services.AddOptions<SqliteStoreOptions>().Configure(configure);
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IStoreDatabase>(provider => provider.GetRequiredService<SqliteDatabase>());
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<IUsageStore, SqliteUsageStore>();
        services.AddSingleton<IIdempotencyStore, SqliteIdempotencyStore>();
        services.AddSingleton<IResponseStore, SqliteResponseStore>();
        return services.AddStoreStartup();
    }

    /// <summary>The scale-out store: a PostgreSQL database reached with an Npgsql connection string.</summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, string connectionString) =>
        services.AddPostgresStore(options => options.ConnectionString = connectionString);

    public static IServiceCollection AddPostgresStore(this IServiceCollection services, Action<PostgresStoreOptions> configure)
    {
        services.AddOptions<PostgresStoreOptions>().Configure(configure);
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<IStoreDatabase>(provider => provider.GetRequiredService<PostgresDatabase>());
        services.AddSingleton<IConversationStore, PostgresConversationStore>();
        services.AddSingleton<IUserStore, PostgresUserStore>();
        services.AddSingleton<IUsageStore, PostgresUsageStore>();
        services.AddSingleton<IIdempotencyStore, PostgresIdempotencyStore>();
        services.AddSingleton<IResponseStore, PostgresResponseStore>();
        return services.AddStoreStartup();
    }

    private static IServiceCollection AddStoreStartup(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StoreStartup>());
        return services;
    }
}
